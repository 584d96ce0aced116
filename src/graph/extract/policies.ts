import { intrinsicName, isMap } from "../../template/intrinsics.js";
import type { Resource, Value } from "../../template/types.js";
import type { GraphBuilder } from "../builder.js";
import { POLICY_TEMPLATES } from "../policy-templates.generated.js";
import { grant, resolveTargets } from "./access/grants.js";
import { managedPoliciesOf, principalsOfPolicy, referencedResources, roleIndex } from "./access/roles.js";
import { applyPolicyDocument, items } from "./access/statements.js";

/**
 * `read` / `write` / `invoke` edges from permissions:
 *
 * - SAM `Policies` of functions and state machines: policy templates
 *   (`DynamoDBCrudPolicy: {TableName: !Ref T}`: the parameter value names the
 *   resource, the generated table says what access the template gives),
 *   inline policy documents, and `!Ref` to a managed policy of the template;
 * - plain CloudFormation: inline `Policies` and `ManagedPolicyArns` of an
 *   `AWS::IAM::Role` that is the role of a function or state machine, and
 *   `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` attached to such a role.
 *
 * Named AWS managed policies (`AmazonS3ReadOnlyAccess`) name no resource of
 * the template and give no edge.
 */
export function extractPolicies(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    if (resource.type === "AWS::Serverless::Function" || resource.type === "AWS::Serverless::StateMachine") {
      samPolicies(graph, resource);
    } else if (resource.type === "AWS::IAM::Role") {
      rolePolicies(graph, resource);
    } else if (resource.type === "AWS::IAM::Policy" || resource.type === "AWS::IAM::ManagedPolicy") {
      applyPolicyDocument(graph, principalsOfPolicy(graph, resource), resource.properties["PolicyDocument"]);
    }
  }
}

function samPolicies(graph: GraphBuilder, resource: Resource): void {
  const principal = resource.id;
  for (const item of items(resource.properties["Policies"])) {
    if (typeof item === "string" || !isMap(item)) continue;
    if (intrinsicName(item) !== undefined) {
      // `!Ref MyManagedPolicy`: a managed policy defined in the same template.
      for (const id of referencedResources(graph, item, item, "Ref")) {
        const policy = graph.template.resources.get(id);
        if (policy?.type === "AWS::IAM::ManagedPolicy") applyPolicyDocument(graph, [principal], policy.properties["PolicyDocument"]);
      }
      continue;
    }
    if ("Statement" in item) {
      applyPolicyDocument(graph, [principal], item);
      continue;
    }
    for (const name of Object.keys(item)) policyTemplate(graph, principal, name, item);
  }
}

/** One policy template entry `{<TemplateName>: {<Parameter>: value, ...}}`. */
function policyTemplate(graph: GraphBuilder, principal: string, name: string, holder: Record<string, Value>): void {
  const params = POLICY_TEMPLATES.get(name);
  const values = holder[name];
  if (!params || !isMap(values) || intrinsicName(values) !== undefined) return;
  const line = graph.line({ container: holder, key: name });
  for (const [param, access] of Object.entries(params)) {
    if (!(param in values)) continue;
    const targets = resolveTargets(graph, values[param] as Value, { container: values, key: param });
    grant(graph, principal, access, targets, line, name);
  }
}

function rolePolicies(graph: GraphBuilder, role: Resource): void {
  const principals = roleIndex(graph).principalsOf(role.id);
  if (principals.length === 0) return;
  for (const policy of items(role.properties["Policies"])) {
    if (isMap(policy) && intrinsicName(policy) === undefined) applyPolicyDocument(graph, principals, policy["PolicyDocument"]);
  }
  for (const managed of managedPoliciesOf(graph, role)) {
    applyPolicyDocument(graph, principals, managed.properties["PolicyDocument"]);
  }
}
