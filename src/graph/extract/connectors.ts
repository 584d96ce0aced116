import { collectReferences, isMap } from "../../template/intrinsics.js";
import type { Value, ValueMap } from "../../template/types.js";
import type { GraphBuilder } from "../builder.js";
import { kindOfType } from "../kinds.js";
import type { NodeKind } from "../types.js";
import type { Access } from "./access/actions.js";
import { grant, isHelper, resolveTargets, targetKind } from "./access/grants.js";
import { roleIndex } from "./access/roles.js";
import { items } from "./access/statements.js";

/**
 * Edges from SAM connectors: `AWS::Serverless::Connector` resources and the
 * `Connectors` embedded in a source resource. Endpoints are given by `Id`
 * (logical ID) or by `Arn` / `ResourceId` / `RoleName` / `Name` / `QueueUrl`
 * with a `Type`.
 *
 * What the permissions mean depends on the pair (as the connector profiles
 * of SAM grant them):
 * - to a function or state machine from a function or state machine:
 *   `Write` lets the source start it: `invoke` source -> destination;
 * - to a function from a queue, stream or table: the function's role may
 *   poll the source (the trigger itself comes from the event source
 *   mapping): `read` function -> source, for both `Read` and `Write`
 *   (deleting consumed messages is part of reading, see access/actions.ts);
 * - to a function or state machine from any other source (API, topic, rule,
 *   bucket...): the source may invoke it: `trigger` source -> destination;
 * - to anything else: `Read` -> `read`, `Write` -> `write`, source ->
 *   destination (a topic writing to a queue, a rule to a bus, a function to
 *   a table).
 */
export function extractConnectors(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    if (resource.type === "AWS::Serverless::Connector") {
      connector(graph, resource.id, resource.properties, undefined);
    }
    const embedded = resource.raw["Connectors"];
    if (isMap(embedded)) {
      for (const [name, definition] of Object.entries(embedded)) {
        const props = isMap(definition) ? definition["Properties"] : undefined;
        if (isMap(props)) connector(graph, name, props, resource.id);
      }
    }
  }
}

const COMPUTE: ReadonlySet<NodeKind> = new Set<NodeKind>(["function", "state-machine"]);
const POLLED: ReadonlySet<NodeKind> = new Set<NodeKind>(["queue", "stream", "table"]);

interface Endpoint {
  ids: string[];
  kind: NodeKind | undefined;
}

function connector(graph: GraphBuilder, name: string, props: ValueMap, embeddedIn: string | undefined): void {
  const permissions = new Set(items(props["Permissions"]).filter((p): p is string => typeof p === "string"));
  if (permissions.size === 0) return;
  const source = embeddedIn !== undefined ? { ids: [embeddedIn], kind: targetKind(graph, embeddedIn) } : endpoint(graph, props["Source"]);
  if (source.ids.length === 0) return;
  const line = graph.line({ container: props, key: "Permissions" });
  const label = `Connector ${name}`;
  for (const destinationValue of items(props["Destination"])) {
    const destination = endpoint(graph, destinationValue);
    for (const to of destination.ids) {
      const toKind = targetKind(graph, to) ?? destination.kind;
      for (const from of source.ids) {
        if (from === to) continue;
        const fromKind = targetKind(graph, from) ?? source.kind;
        edgesFor(graph, from, fromKind, to, toKind, permissions, line, label);
      }
    }
  }
}

function edgesFor(
  graph: GraphBuilder,
  from: string,
  fromKind: NodeKind | undefined,
  to: string,
  toKind: NodeKind | undefined,
  permissions: ReadonlySet<string>,
  line: number,
  label: string,
): void {
  if (toKind !== undefined && COMPUTE.has(toKind)) {
    if (fromKind !== undefined && COMPUTE.has(fromKind)) {
      if (permissions.has("Write")) graph.addEdge(from, to, "invoke", line, label);
    } else if (fromKind !== undefined && POLLED.has(fromKind)) {
      graph.addEdge(to, from, "read", line, label);
    } else if (permissions.has("Write")) {
      // An AppSync API calls its functions (resolvers, authorizers) like an API authorizer: invoke.
      graph.addEdge(from, to, fromKind === "graphql-api" ? "invoke" : "trigger", line, label);
    }
    return;
  }
  const access: Access[] = [];
  if (permissions.has("Read")) access.push("read");
  if (permissions.has("Write")) access.push("write");
  grant(graph, from, access, [to], line, label);
}

/** The node IDs and the declared kind of a connector's `Source` / `Destination`. */
function endpoint(graph: GraphBuilder, value: Value | undefined): Endpoint {
  if (!isMap(value)) return { ids: [], kind: undefined };
  const type = value["Type"];
  const kind = typeof type === "string" ? kindOfType(type) : undefined;
  const id = value["Id"];
  if (typeof id === "string") {
    const ids = graph.template.resources.has(id) ? graph.entity(id).flatMap((e) => throughHelper(graph, e)) : [];
    return { ids: [...new Set(ids)], kind };
  }
  const ids: string[] = [];
  for (const key of ["Arn", "ResourceId", "Name", "QueueUrl"]) {
    if (value[key] === undefined) continue;
    for (const target of resolveTargets(graph, value[key] as Value, { container: value, key })) {
      ids.push(...throughHelper(graph, target));
    }
  }
  const roleName = value["RoleName"];
  if (roleName !== undefined) {
    const index = roleIndex(graph);
    const roles = typeof roleName === "string" ? [roleName] : collectReferences(roleName, value, "RoleName").map((r) => r.target);
    for (const role of roles) ids.push(...index.principalsOf(role));
  }
  return { ids: [...new Set(ids)], kind };
}

/** An AppSync data source stands for its API; other helpers for nothing. */
function throughHelper(graph: GraphBuilder, id: string): string[] {
  if (!isHelper(graph, id)) return [id];
  const props = graph.template.resources.get(id)?.properties;
  const api = props?.["ApiId"];
  return props === undefined || api === undefined ? [] : resolveTargets(graph, api, { container: props, key: "ApiId" });
}
