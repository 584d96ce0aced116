import { intrinsicName, isMap, refTarget } from "../../../template/intrinsics.js";
import type { Value, ValueMap } from "../../../template/types.js";
import type { GraphBuilder } from "../../builder.js";
import { classifyAction } from "./actions.js";
import type { Access } from "./actions.js";
import { actionsLabel, grant, resolveTargets } from "./grants.js";

/**
 * The branches a value may take: both sides of `Fn::If` (recursively), never
 * `AWS::NoValue`. Anything else is returned as it is.
 */
export function branches(value: Value | undefined): Value[] {
  const out: Value[] = [];
  const stack: (Value | undefined)[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined || current === null) continue;
    if (refTarget(current) === "AWS::NoValue") continue;
    if (intrinsicName(current) === "Fn::If") {
      const args = (current as ValueMap)["Fn::If"];
      if (Array.isArray(args)) stack.push(args[2], args[1]);
      continue;
    }
    out.push(current);
  }
  return out;
}

/** The elements of a value that may be one item or a list of items, through `Fn::If`. */
export function items(value: Value | undefined): Value[] {
  const out: Value[] = [];
  for (const branch of branches(value)) {
    if (Array.isArray(branch)) for (const item of branch) out.push(...branches(item));
    else out.push(branch);
  }
  return out;
}

/**
 * Adds the edges an IAM policy document (`{Statement: [...]}`) grants to each
 * of `principals`: for every `Allow` statement, its actions classified, its
 * `Resource` entries resolved to nodes. `Deny` and `NotAction`/`NotResource`
 * statements give nothing.
 */
export function applyPolicyDocument(graph: GraphBuilder, principals: readonly string[], document: Value | undefined): void {
  if (principals.length === 0) return;
  for (const doc of branches(document)) {
    if (!isMap(doc) || intrinsicName(doc) !== undefined) continue;
    for (const statement of items(doc["Statement"])) {
      if (!isMap(statement) || intrinsicName(statement) !== undefined) continue;
      if (statement["Effect"] !== "Allow") continue;
      const actions = items(statement["Action"]).filter((a): a is string => typeof a === "string");
      const access = new Set<Access>();
      for (const action of actions) for (const kind of classifyAction(action)) access.add(kind);
      if (access.size === 0 || statement["Resource"] === undefined) continue;
      const targets = resolveTargets(graph, statement["Resource"], { container: statement, key: "Resource" });
      if (targets.length === 0) continue;
      const line = graph.line({ container: statement, key: "Resource" });
      for (const principal of principals) grant(graph, principal, access, targets, line, actionsLabel(actions));
    }
  }
}
