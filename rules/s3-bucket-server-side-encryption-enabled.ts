import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isSet } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::S3::Bucket"];

/** Buckets declare default encryption (SSE-S3 or SSE-KMS) explicitly. */
export const s3BucketServerSideEncryptionEnabled: Rule = {
  id: "s3-bucket-server-side-encryption-enabled",
  title: "S3 bucket encrypted at rest",
  category: "security",
  weight: 3,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
  docs:
    "Every bucket declares `BucketEncryption.ServerSideEncryptionConfiguration` with an `SSEAlgorithm` " +
    "(`AES256`, `aws:kms` or `aws:kms:dsse`). S3 applies SSE-S3 to new buckets anyway, but only a declared " +
    "configuration is reviewable and survives a change of account defaults.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"],
        judge: (v) => (typeof v === "string" ? (/^(AES256|aws:kms(:dsse)?)$/.test(v) ? 1 : 0) : isSet(v) ? 1 : 0),
        pass: "default encryption is declared",
        fail: "no default encryption is declared",
        fix: "Add `BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms } }] }`.",
      }),
    );
  },
};

