import { intrinsicName, isMap, isPlainMap, refTarget } from "../../../template/intrinsics.js";
import type { Value, ValueMap } from "../../../template/types.js";
import { table, type Table } from "../../../tables.js";
import type { At, GraphBuilder } from "../../builder.js";
import { ARN_SERVICE_KINDS, kindOfType } from "../../kinds.js";
import type { NodeKind } from "../../types.js";

/** Shared helpers of the trigger extractors (SAM events, CloudFormation wiring, API integrations). */

/** `value` when it is a plain (non-intrinsic) map, else undefined. */
export function asMap(value: Value | undefined): ValueMap | undefined {
  return isPlainMap(value) ? value : undefined;
}

/** A literal, non-empty string, else undefined. */
export function asText(value: Value | undefined): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The elements of a list, or the value itself as a one-element list; nothing for undefined/null. */
export function asList(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Properties of a resource-like map entry, as a map (empty when absent or malformed). */
export function propsOf(value: Value | undefined): ValueMap {
  const map = asMap(value);
  return map ?? (Object.create(null) as ValueMap);
}

/**
 * An external node for something named by a plain name rather than an ARN
 * (a log group name, Kafka bootstrap servers, an Alexa skill ID). The ID is
 * `<service>:<name>` so the same name always gives the same node.
 */
export function namedExternal(graph: GraphBuilder, service: string, name: string, line: number): string {
  const kind = ARN_SERVICE_KINDS.get(service);
  return graph.ensureExternal(`${service}:${name}`, `External (${service})`, kind, line);
}

/** The node kind of an ID known to the builder or the template (external nodes: the kind their ARN names). */
export function kindOfId(graph: GraphBuilder, id: string): NodeKind | undefined {
  const node = graph.node(id);
  if (node) return node.kind === "external" ? (node.service ?? "external") : node.kind;
  const resource = graph.template.resources.get(id);
  return resource ? kindOfType(resource.type) : undefined;
}

/**
 * Node IDs a property value points at, without helper resources (roles,
 * permissions, ...) that are never graph nodes. A plain string that is not an
 * ARN names something outside the template: it becomes a named external of
 * `service` when one is given.
 */
export function targets(graph: GraphBuilder, value: Value | undefined, at: At, service?: string): string[] {
  const ids = graph.resolve(value, at).filter((id) => graph.isNode(id) || !graph.template.resources.has(id));
  if (ids.length > 0 || !service) return ids;
  const name = asText(value);
  if (!name || name.includes("*")) return [];
  // An ARN of a form the builder does not recognise is still an ARN: it names itself.
  if (name.startsWith("arn:")) return [graph.ensureExternal(name, "External", undefined, graph.line(at))];
  return [namedExternal(graph, service, name, graph.line(at))];
}

/**
 * An API named by `RestApiId` / `ApiId`: a reference, a logical ID written as
 * a plain string (SAM accepts that), or an API ID of an API outside the template.
 */
export function apiTargets(graph: GraphBuilder, value: Value | undefined, at: At): string[] {
  const name = asText(value) ?? refTarget(value);
  if (name && graph.template.resources.has(name)) return graph.entity(name);
  if (name && implicitApi(graph, name, graph.line(at))) return [name];
  return targets(graph, value, at, "execute-api");
}

/** The APIs SAM creates for events without an API of their own. */
export const IMPLICIT_APIS: Table<string> = table({
  ServerlessRestApi: "AWS::ApiGateway::RestApi",
  ServerlessHttpApi: "AWS::ApiGatewayV2::Api",
});

/**
 * True (and the implicit node added) when `id` names one of SAM's implicit
 * APIs in a SAM template that does not define a resource of that name.
 */
export function implicitApi(graph: GraphBuilder, id: string, line: number): boolean {
  const type = IMPLICIT_APIS.get(id);
  if (!type || !graph.template.isSam || graph.template.resources.has(id)) return false;
  graph.addImplicitNode(id, type, line);
  return true;
}

/**
 * Every (sub)value of an `Fn::If` choice: both branches, recursively; the
 * value itself otherwise. `AWS::NoValue` branches disappear.
 */
export function branches(value: Value | undefined, depth = 0): Value[] {
  if (value === undefined || value === null) return [];
  if (depth < 8 && intrinsicName(value) === "Fn::If") {
    const args = (value as ValueMap)["Fn::If"];
    if (Array.isArray(args)) return [...branches(args[1], depth + 1), ...branches(args[2], depth + 1)];
    return [];
  }
  if (isMap(value) && intrinsicName(value) === "Ref" && value["Ref"] === "AWS::NoValue") return [];
  return [value];
}

/** The literal text of a string, `Fn::Sub` or `Fn::Join` (intrinsic parts left as `${...}`), for pattern checks. */
export function textOf(value: Value | undefined): string | undefined {
  if (typeof value === "string") return value;
  const name = intrinsicName(value);
  if (!name) return undefined;
  const inner = (value as ValueMap)[name];
  if (name === "Fn::Sub") {
    if (typeof inner === "string") return inner;
    if (Array.isArray(inner) && typeof inner[0] === "string") return inner[0];
    return undefined;
  }
  if (name === "Fn::Join" && Array.isArray(inner) && typeof inner[0] === "string" && Array.isArray(inner[1])) {
    return inner[1].map((part) => (typeof part === "string" ? part : "${}")).join(inner[0]);
  }
  return undefined;
}

/** `SAM event label`: the event's name and type plus a short detail (method and path, schedule). */
export function eventLabel(name: string, type: string, detail?: string): string {
  return detail ? `${name} (${type} ${detail})` : `${name} (${type})`;
}

/** Per template: the event buses declared with a literal `Name`, by that name. */
const busesByName = new WeakMap<GraphBuilder, Map<string, string>>();

function busNamed(graph: GraphBuilder, name: string): string | undefined {
  let index = busesByName.get(graph);
  if (!index) {
    index = new Map();
    for (const bus of graph.resourcesOfType("AWS::Events::EventBus")) {
      const busName = asText(bus.properties["Name"]);
      if (busName && !index.has(busName)) index.set(busName, bus.id);
    }
    busesByName.set(graph, index);
  }
  return index.get(name);
}

/**
 * Event buses named by `EventBusName`: a reference, a bus ARN, or the literal
 * name of a bus of this template. Other bare names (`default`, a bus of
 * another stack) are left out: the default bus is everywhere and says nothing.
 */
export function busTargets(graph: GraphBuilder, value: Value | undefined, where: At): string[] {
  const name = asText(value);
  if (name && !name.startsWith("arn:")) {
    const bus = busNamed(graph, name);
    return bus ? [bus] : [];
  }
  return targets(graph, value, where);
}

/** The external node of an Alexa skill (by skill ID, or one node for "any skill"). */
export function alexaNode(graph: GraphBuilder, skillId: string | undefined, line: number): string {
  return graph.ensureExternal(skillId ? `alexa-skill:${skillId}` : "alexa-skill", "External (Alexa skill)", undefined, line);
}
