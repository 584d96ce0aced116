import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isTrue } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable", "AWS::DynamoDB::GlobalTable"];

export const dynamodbTableEncryptedKms: Rule = {
  id: "dynamodb-table-encrypted-kms",
  title: "DynamoDB table encrypted with KMS",
  category: "security",
  weight: 3,
  appliesTo: TYPES,
  configRuleIdentifier: "DYNAMODB_TABLE_ENCRYPTED_KMS",
  docs:
    "Tables are encrypted with a KMS key (`SSESpecification.SSEEnabled: true`, AWS managed or customer managed key). " +
    "Without it DynamoDB uses an AWS owned key that you cannot audit or revoke. `AWS::Serverless::SimpleTable` has no " +
    "SSE unless `SSESpecification` is given (SAM passes it through unchanged).",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["SSESpecification", "SSEEnabled"],
        judge: (v) => (isTrue(v) ? 1 : 0),
        pass: "encrypted with a KMS key",
        fail: "not encrypted with a KMS key (AWS owned key only)",
        fix: "Add `SSESpecification: { SSEEnabled: true }` (optionally `SSEType: KMS` and `KMSMasterKeyId` for a customer managed key).",
      }),
    );
  },
};
