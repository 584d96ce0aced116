import { collectReferences, isMap } from "../../../template/intrinsics.js";
import type { Resource, Value } from "../../../template/types.js";
import type { GraphBuilder } from "../../builder.js";

/**
 * Which functions and state machines act through which IAM role: the index
 * the access extractors use to find whose permissions a role or policy holds.
 *
 * - `AWS::Lambda::Function` / `AWS::Serverless::Function`: `Role`;
 * - `AWS::StepFunctions::StateMachine`: `RoleArn`; `AWS::Serverless::StateMachine`: `Role`;
 * - a SAM function or state machine without `Role` gets a role SAM names
 *   `<LogicalId>Role`; templates may attach policies to it by that name.
 */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(["AWS::Serverless::Function", "AWS::Lambda::Function"]);
export const STATE_MACHINE_TYPES: ReadonlySet<string> = new Set(["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"]);

export interface RoleIndex {
  /** Role logical ID -> the functions / state machines using it. */
  principalsOf(roleId: string): readonly string[];
}

const cache = new WeakMap<GraphBuilder, RoleIndex>();

export function roleIndex(graph: GraphBuilder): RoleIndex {
  const cached = cache.get(graph);
  if (cached) return cached;
  const byRole = new Map<string, string[]>();
  const add = (role: string, principal: string): void => {
    const list = byRole.get(role);
    if (!list) byRole.set(role, [principal]);
    else if (!list.includes(principal)) list.push(principal);
  };
  for (const resource of graph.template.resources.values()) {
    const isFunction = FUNCTION_TYPES.has(resource.type);
    if (!isFunction && !STATE_MACHINE_TYPES.has(resource.type)) continue;
    const prop = resource.type === "AWS::StepFunctions::StateMachine" ? "RoleArn" : "Role";
    const value = resource.properties[prop];
    if (value === undefined) {
      if (resource.type.startsWith("AWS::Serverless::")) add(`${resource.id}Role`, resource.id);
      continue;
    }
    for (const role of referencedResources(graph, value, resource.properties, prop)) add(role, resource.id);
  }
  const index: RoleIndex = { principalsOf: (roleId) => byRole.get(roleId) ?? [] };
  cache.set(graph, index);
  return index;
}

/** Logical IDs of template resources (not parameters) that a value refers to. No side effects. */
export function referencedResources(graph: GraphBuilder, value: Value, container: object, key: string | number): string[] {
  const out = new Set<string>();
  for (const ref of collectReferences(value, container, key)) {
    if (graph.template.resources.has(ref.target)) out.add(ref.target);
  }
  return [...out];
}

/** The principals behind the roles a policy resource lists in `Roles` (or `Role`). */
export function principalsOfPolicy(graph: GraphBuilder, policy: Resource): string[] {
  const index = roleIndex(graph);
  const out = new Set<string>();
  for (const prop of ["Roles", "Role"]) {
    const value = policy.properties[prop];
    if (value === undefined) continue;
    for (const ref of collectReferences(value, policy.properties, prop)) {
      for (const principal of index.principalsOf(ref.target)) out.add(principal);
    }
  }
  return [...out];
}

/** Managed policies defined in the template that a role's `ManagedPolicyArns` names. */
export function managedPoliciesOf(graph: GraphBuilder, role: Resource): Resource[] {
  const value = role.properties["ManagedPolicyArns"];
  if (value === undefined) return [];
  const out: Resource[] = [];
  for (const id of referencedResources(graph, value, role.properties, "ManagedPolicyArns")) {
    const resource = graph.template.resources.get(id);
    if (resource?.type === "AWS::IAM::ManagedPolicy" && isMap(resource.properties)) out.push(resource);
  }
  return out;
}
