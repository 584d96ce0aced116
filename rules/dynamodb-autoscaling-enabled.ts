import { collectReferences } from "../src/template/intrinsics.js";
import type { Rule } from "../src/fitness/types.js";
import type { Resource, Template } from "../src/template/types.js";
import { finding, lineAt, resourcesOf } from "../src/fitness/kit/findings.js";
import { credit, valuesAt } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"];

export const dynamodbAutoscalingEnabled: Rule = {
  id: "dynamodb-autoscaling-enabled",
  title: "DynamoDB on-demand or auto scaling",
  category: "reliability",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "DYNAMODB_AUTOSCALING_ENABLED",
  docs:
    "Tables either bill on demand (`BillingMode: PAY_PER_REQUEST`) or have Application Auto Scaling targets " +
    "(`AWS::ApplicationAutoScaling::ScalableTarget` whose `ResourceId` names the table). A SimpleTable without " +
    "`ProvisionedThroughput` is on demand (SAM sets `BillingMode: PAY_PER_REQUEST`).",
  evaluate({ template }) {
    const scaled = scaledTables(template);
    return resourcesOf(template, TYPES).map((resource) => {
      if (scaled.has(resource.id)) return finding(resource.id, 1, resource.position.line, "provisioned capacity with auto scaling", "");
      const path = resource.type === "AWS::Serverless::SimpleTable" ? ["ProvisionedThroughput"] : ["BillingMode"];
      const { score, unknown } = credit(valuesAt(resource.properties, path, template), (v) =>
        resource.type === "AWS::Serverless::SimpleTable" ? (v === undefined ? 1 : 0) : v === "PAY_PER_REQUEST" ? 1 : 0,
      );
      return finding(resource.id, score, lineAt(resource, path),
        score >= 1 ? "on-demand capacity" : "provisioned capacity without auto scaling",
        "Use `BillingMode: PAY_PER_REQUEST`, or add `AWS::ApplicationAutoScaling::ScalableTarget` + `ScalingPolicy` for read and write capacity.", unknown);
    });
  },
};

/** Tables named by the ResourceId of a DynamoDB scalable target (`table/${Table}`, `!Join [/, [table, !Ref Table]]`). */
function scaledTables(template: Template): Set<string> {
  const out = new Set<string>();
  for (const resource of template.resources.values() as Iterable<Resource>) {
    if (resource.type !== "AWS::ApplicationAutoScaling::ScalableTarget") continue;
    if (resource.properties["ServiceNamespace"] !== "dynamodb") continue;
    const id = resource.properties["ResourceId"];
    if (id === undefined) continue;
    for (const ref of collectReferences(id, resource.properties, "ResourceId")) out.add(ref.target);
  }
  return out;
}
