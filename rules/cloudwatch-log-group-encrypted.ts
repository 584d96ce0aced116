import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isSet } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::Logs::LogGroup"];

export const cloudwatchLogGroupEncrypted: Rule = {
  id: "cloudwatch-log-group-encrypted",
  title: "CloudWatch log group encrypted with KMS",
  category: "security",
  weight: 1,
  appliesTo: TYPES,
  configRuleIdentifier: "CLOUDWATCH_LOG_GROUP_ENCRYPTED",
  docs:
    "Log groups set `KmsKeyId` to a customer managed key. CloudWatch Logs always encrypts at rest with its own keys, " +
    "so the default weight is low: the rule is about key control, not about plaintext storage.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource, path: ["KmsKeyId"], judge: (v) => (isSet(v) ? 1 : 0),
        pass: "encrypted with a KMS key", fail: "no KMS key",
        fix: "Add `KmsKeyId: !GetAtt LogKey.Arn` (the key policy must allow the logs service principal).",
      }),
    );
  },
};
