import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isSet, isTrue } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::SQS::Queue"];

export const sqsQueueEncrypted: Rule = {
  id: "sqs-queue-encrypted",
  title: "SQS queue encrypted at rest",
  category: "security",
  weight: 2,
  appliesTo: TYPES,
  docs:
    "Queues declare server-side encryption: `KmsMasterKeyId` (SSE-KMS) or `SqsManagedSseEnabled: true` (SSE-SQS). " +
    "The declared configuration is judged, not the account default. No AWS Config managed rule checks this.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) => {
      if (isSet(resource.properties["KmsMasterKeyId"])) {
        return checkProperty(template, {
          resource, path: ["KmsMasterKeyId"], judge: (v) => (isSet(v) ? 1 : 0),
          pass: "encrypted with KMS (SSE-KMS)", fail: "no KMS key in this configuration",
          fix: "Set `KmsMasterKeyId` (e.g. alias/aws/sqs or a customer managed key) or `SqsManagedSseEnabled: true`.",
        });
      }
      return checkProperty(template, {
        resource, path: ["SqsManagedSseEnabled"], judge: (v) => (isTrue(v) ? 1 : 0),
        pass: "encrypted with SQS managed keys (SSE-SQS)", fail: "no server-side encryption is declared",
        fix: "Set `SqsManagedSseEnabled: true`, or `KmsMasterKeyId` for a KMS key.",
      });
    });
  },
};
