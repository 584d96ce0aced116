import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isSet } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::SNS::Topic"];

export const snsEncryptedKms: Rule = {
  id: "sns-encrypted-kms",
  title: "SNS topic encrypted with KMS",
  category: "security",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "SNS_ENCRYPTED_KMS",
  docs: "Topics set `KmsMasterKeyId` (e.g. `alias/aws/sns` or a customer managed key). SNS does not encrypt topics unless asked.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource, path: ["KmsMasterKeyId"], judge: (v) => (isSet(v) ? 1 : 0),
        pass: "encrypted with KMS", fail: "not encrypted",
        fix: "Add `KmsMasterKeyId: alias/aws/sns` (or a customer managed key).",
      }),
    );
  },
};
