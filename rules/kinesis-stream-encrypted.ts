import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";

const TYPES = ["AWS::Kinesis::Stream"];

export const kinesisStreamEncrypted: Rule = {
  id: "kinesis-stream-encrypted",
  title: "Kinesis stream encrypted",
  category: "security",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "KINESIS_STREAM_ENCRYPTED",
  docs: "Streams declare `StreamEncryption: { EncryptionType: KMS, KeyId: ... }`.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource, path: ["StreamEncryption", "EncryptionType"], judge: (v) => (v === "KMS" ? 1 : 0),
        pass: "encrypted with KMS", fail: "not encrypted",
        fix: "Add `StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis }`.",
      }),
    );
  },
};
