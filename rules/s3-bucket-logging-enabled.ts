import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { isPlainMap } from "../src/template/intrinsics.js";

const TYPES = ["AWS::S3::Bucket"];

export const s3BucketLoggingEnabled: Rule = {
  id: "s3-bucket-logging-enabled",
  title: "S3 bucket access logging enabled",
  category: "operations",
  weight: 1,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_LOGGING_ENABLED",
  docs: "Buckets write server access logs (`LoggingConfiguration` with a `DestinationBucketName`), for audits and incident analysis.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["LoggingConfiguration"],
        judge: (v) => (isPlainMap(v) && v["DestinationBucketName"] !== undefined ? 1 : isPlainMap(v) ? 0.5 : 0),
        pass: "access logging is configured",
        fail: "access logging is not configured",
        fix: "Add `LoggingConfiguration: { DestinationBucketName: !Ref LogBucket, LogFilePrefix: ... }`.",
      }),
    );
  },
};
