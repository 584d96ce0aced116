import { collectReferences, intrinsicName, isMap, leadingSubVariable, refTarget } from "../../../template/intrinsics.js";
import type { Value } from "../../../template/types.js";
import type { At, GraphBuilder } from "../../builder.js";
import { externalFromArn } from "../../builder.js";
import { HELPER_TYPES, kindOfType } from "../../kinds.js";
import type { NodeKind } from "../../types.js";
import type { Access } from "./actions.js";

/**
 * Turning "principal P may do X on resources R" into edges, shared by SAM
 * policy templates, inline IAM statements, IAM roles/policies, connectors and
 * state machine service integrations.
 *
 * - On a function or state machine (or an external ARN of one), only `invoke`
 *   access makes an edge (`invoke`); reading a function's configuration is
 *   not part of the event flow.
 * - On anything else, `read` and `write` access make `read` / `write` edges.
 * - On an external node of unknown service (a parameter), all three apply.
 * - Helper resources (roles, permissions, policies...) never become targets.
 * - Literal ARNs of CloudWatch Logs, IAM, STS, CodeDeploy, CloudFormation and
 *   X-Ray are ignored: every function may write its own logs, assume roles
 *   and report to its deployment, which says nothing about the architecture
 *   (log groups defined in the template still get edges).
 */

const COMPUTE: ReadonlySet<NodeKind> = new Set<NodeKind>(["function", "state-machine"]);
const IGNORED_ARN_SERVICES: ReadonlySet<string> = new Set(["logs", "iam", "sts", "codedeploy", "cloudformation", "xray"]);

/** The family of a node ID, looking through external nodes to the service their ARN names. */
export function targetKind(graph: GraphBuilder, id: string): NodeKind | undefined {
  const node = graph.node(id);
  if (node) {
    if (node.kind !== "external") return node.kind;
    // An ARN of a service the graph has no family for is some other resource, not an unknown one.
    return node.service ?? (node.type.startsWith("arn:") ? "other" : "external");
  }
  const resource = graph.template.resources.get(id);
  return resource ? (kindOfType(resource.type) ?? "other") : undefined;
}

/** True when `id` is a resource that only wires others (never an edge end). */
export function isHelper(graph: GraphBuilder, id: string): boolean {
  const resource = graph.template.resources.get(id);
  return resource !== undefined && HELPER_TYPES.has(resource.type) && !graph.hasNode(id);
}

/**
 * The node IDs the `Resource` of a statement (or a parameter value naming a
 * resource) points at. Literal strings are checked before the builder sees
 * them, so wildcards and ignored services do not leave stray external nodes.
 */
export function resolveTargets(graph: GraphBuilder, value: Value | undefined, at: At): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    const out: string[] = [];
    value.forEach((item, i) => out.push(...resolveTargets(graph, item, { container: value, key: i })));
    return [...new Set(out)];
  }
  if (typeof value === "string") {
    const arn = externalFromArn(value);
    if (!arn || IGNORED_ARN_SERVICES.has(arn.type.slice(4))) return [];
    return graph.resolve(value, at);
  }
  if (!isMap(value)) return [];
  const name = intrinsicName(value);
  if (name === undefined) return [];
  if (name === "Ref" && refTarget(value)?.startsWith("AWS::")) return [];
  if (name === "Fn::Sub") {
    const inner = value["Fn::Sub"];
    const text = typeof inner === "string" ? inner : Array.isArray(inner) && typeof inner[0] === "string" ? inner[0] : "";
    const arn = externalFromArn(text);
    if (arn && IGNORED_ARN_SERVICES.has(arn.type.slice(4))) return [];
    if (!/^\s*\$\{[^}]*\}\s*$/.test(text)) {
      // A parameter that starts the pattern, followed by a path (`${TableArn}/index/*`), is the resource's ARN.
      const prefix = leadingSubVariable(text);
      if (prefix !== undefined && graph.template.parameters.has(prefix)) {
        return graph.resolve({ Ref: prefix } as Value, at).filter((id) => !isHelper(graph, id));
      }
      // Parameters substituted into a longer ARN pattern name parts of it (region, account, name), not the resource.
      const namesResource = collectReferences(value, at.container, at.key ?? 0).some((r) => graph.template.resources.has(r.target));
      const kept = namesResource ? graph.resolve(value, at).filter((id) => !isHelper(graph, id) && !graph.template.parameters.has(id)) : [];
      return kept.length > 0 || !arn ? kept : graph.resolve(text, at);
    }
  }
  return graph.resolve(value, at).filter((id) => !isHelper(graph, id));
}

/** Adds the edges for `principal` having `access` on `targets`. */
export function grant(
  graph: GraphBuilder,
  principal: string,
  access: ReadonlySet<Access> | readonly Access[],
  targets: readonly string[],
  line: number,
  label?: string,
): void {
  const kinds = new Set(access);
  for (const target of targets) {
    if (target === principal || isHelper(graph, target)) continue;
    const kind = targetKind(graph, target);
    if (kind === undefined) continue;
    if (COMPUTE.has(kind) || kind === "external") {
      if (kinds.has("invoke")) graph.addEdge(principal, target, "invoke", line, label);
      if (kind !== "external") continue;
    }
    if (kinds.has("read")) graph.addEdge(principal, target, "read", line, label);
    if (kinds.has("write")) graph.addEdge(principal, target, "write", line, label);
  }
}

/** A short label for a list of actions: the first few, then a count. */
export function actionsLabel(actions: readonly string[]): string {
  if (actions.length <= 3) return actions.join(", ");
  return `${actions.slice(0, 3).join(", ")} +${actions.length - 3}`;
}
