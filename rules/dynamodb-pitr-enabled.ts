import type { Rule } from "../src/fitness/types.js";
import { checkProperty, finding, resourcesOf } from "../src/fitness/kit/findings.js";
import { isTrue } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"];

export const dynamodbPitrEnabled: Rule = {
  id: "dynamodb-pitr-enabled",
  title: "DynamoDB point-in-time recovery enabled",
  category: "reliability",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "DYNAMODB_PITR_ENABLED",
  docs:
    "Tables keep continuous backups (`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true`). " +
    "`AWS::Serverless::SimpleTable` cannot enable it: use `AWS::DynamoDB::Table` for data you need to restore.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      resource.type === "AWS::Serverless::SimpleTable"
        ? finding(resource.id, 0, resource.position.line, "SimpleTable has no point-in-time recovery",
            "Replace the SimpleTable with an `AWS::DynamoDB::Table` and set `PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }`.")
        : checkProperty(template, {
            resource,
            path: ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"],
            judge: (v) => (isTrue(v) ? 1 : 0),
            pass: "point-in-time recovery is enabled",
            fail: "point-in-time recovery is not enabled",
            fix: "Add `PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }`.",
          }),
    );
  },
};
