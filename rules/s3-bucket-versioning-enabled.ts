import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";

const TYPES = ["AWS::S3::Bucket"];

export const s3BucketVersioningEnabled: Rule = {
  id: "s3-bucket-versioning-enabled",
  title: "S3 bucket versioning enabled",
  category: "reliability",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
  docs: "Buckets keep object versions (`VersioningConfiguration.Status: Enabled`) so that overwrites and deletes can be undone.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["VersioningConfiguration", "Status"],
        judge: (v) => (v === "Enabled" ? 1 : 0),
        pass: "versioning is enabled",
        fail: "versioning is not enabled",
        fix: "Add `VersioningConfiguration: { Status: Enabled }`.",
      }),
    );
  },
};
