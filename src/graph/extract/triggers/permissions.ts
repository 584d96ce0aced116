import { intrinsicName, isMap } from "../../../template/intrinsics.js";
import type { Resource, Value, ValueMap } from "../../../template/types.js";
import type { At, GraphBuilder } from "../../builder.js";
import { alexaNode, apiTargets, asMap, asText, implicitApi, targets, textOf } from "./common.js";

/**
 * `(principal service, function)` pairs already wired by a resource that
 * delivers the events (a subscription filter, an SNS subscription, a rule
 * target...), as `<service>\0<function id>`.
 */
export type Wired = Set<string>;

/**
 * Edges from `AWS::Lambda::Permission` resources: the principal says which
 * service calls the function, `SourceArn` (or `EventSourceToken` for Alexa)
 * which resource of that service.
 *
 * A permission only allows a call; the wiring that makes it is elsewhere
 * (a bucket notification, a subscription, a rule target, an integration),
 * possibly in another stack. So a permission adds an edge when its source is
 * a resource of this template, or when no wiring resource of this template
 * already delivers that service's events to the function (then the source
 * outside the template is the best evidence there is). The permissions the
 * SAM translator generates for a `Connector` (API, topic, bucket, rule ->
 * function) give the same trigger edges as the connectors extractor gives
 * for the connector itself.
 *
 * API Gateway permissions on `.../authorizers/*` are `invoke` edges (the API
 * calls its authorizer); a permission between an API and a function that is
 * already its authorizer (AppSync permissions do not say what they are for)
 * adds nothing; other permissions are triggers.
 */
export function extractPermissions(graph: GraphBuilder, permissions: Resource[], wired: Wired): void {
  if (permissions.length === 0) return;
  // Pairs already linked: by an `invoke` edge (an API and its authorizer), the permission is for that call;
  // by the same edge, the permission adds nothing (not even to the label).
  const linked = new Set(graph.build().edges.map((e) => `${e.from}\u0000${e.to}\u0000${e.kind}`));
  const known = (from: string, to: string, kind: string): boolean =>
    linked.has(`${from}\u0000${to}\u0000${kind}`) || (kind === "trigger" && linked.has(`${from}\u0000${to}\u0000invoke`));
  for (const resource of permissions) {
    const props = resource.properties;
    const principal = asText(props["Principal"]);
    const action = asText(props["Action"]);
    if (!principal || (action !== undefined && !/^lambda:InvokeFunction$/i.test(action))) continue;
    const functions = targets(graph, props["FunctionName"], { container: props, key: "FunctionName" }, "lambda");
    if (functions.length === 0) continue;
    const service = principal.replace(/\.amazonaws\.com(\.cn)?$/, "").replace(/\.amazon\.com$/, "");
    const label = `${resource.id} (permission)`;

    if (service === "alexa-appkit") {
      const where = { container: props, key: "EventSourceToken" };
      const source = alexaNode(graph, asText(props["EventSourceToken"]), graph.line(where));
      for (const fn of functions) if (!known(source, fn, "trigger")) graph.addEdge(source, fn, "trigger", graph.line(where), label);
      continue;
    }
    const sourceArn = props["SourceArn"];
    if (sourceArn === undefined) continue;
    const where: At = { container: props, key: "SourceArn" };
    const line = graph.line(where);

    if (service === "apigateway") {
      const kind = textOf(sourceArn)?.includes("/authorizers/") ? "invoke" : "trigger";
      for (const api of executeApiSources(graph, sourceArn, where)) {
        for (const fn of functions) if (!known(api, fn, kind)) graph.addEdge(api, fn, kind, line, label);
      }
      continue;
    }
    const sources = targets(graph, sourceArn, where);
    const inTemplate = sources.some((id) => graph.template.resources.has(id));
    for (const fn of functions) {
      if (!inTemplate && wired.has(`${service}\u0000${fn}`)) continue;
      for (const source of sources) if (source !== fn && !known(source, fn, "trigger")) graph.addEdge(source, fn, "trigger", line, label);
    }
  }
}

const EXECUTE_API = /execute-api:(?:\$\{[^}]*\}|[^:]*):(?:\$\{[^}]*\}|[^:]*):([^/]*)/;

/**
 * The API an `execute-api` ARN names: the segment after the account, as a
 * `${Api}` / `${Api.ApiId}` variable, a `Fn::Sub` local (SAM writes
 * `${__ApiId__}` with `__ApiId__: !Ref Api`), or an API ID / logical ID as text.
 */
function executeApiSources(graph: GraphBuilder, value: Value, where: At): string[] {
  const text = textOf(value);
  const match = text ? EXECUTE_API.exec(text) : null;
  if (!match || intrinsicName(value) === "Fn::Join") return targets(graph, value, where);
  const segment = match[1] as string;
  const variable = /^\$\{([^}]+)\}$/.exec(segment)?.[1];
  if (!variable) return segment.includes("${") || segment === "*" ? [] : apiTargets(graph, segment, where);
  const args = isMap(value) ? value["Fn::Sub"] : undefined;
  const locals: ValueMap | undefined = Array.isArray(args) ? asMap(args[1]) : undefined;
  if (locals && locals[variable] !== undefined) return apiTargets(graph, locals[variable], { container: locals, key: variable });
  const name = variable.split(".")[0] as string;
  if (name.startsWith("AWS::")) return [];
  if (implicitApi(graph, name, graph.line(where))) return [name];
  return graph.entity(name);
}
