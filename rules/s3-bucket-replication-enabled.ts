import type { Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { get } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::S3::Bucket"];

export const s3BucketReplicationEnabled: Rule = {
  id: "s3-bucket-replication-enabled",
  title: "S3 bucket replication enabled",
  category: "reliability",
  weight: 1,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_REPLICATION_ENABLED",
  docs:
    "Buckets replicate to another bucket (`ReplicationConfiguration` with at least one enabled rule), so a regional " +
    "outage or an accidental delete does not lose data. Replication needs versioning. Low default weight: not every bucket holds data worth a copy.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["ReplicationConfiguration", "Rules"],
        judge: (v) => (Array.isArray(v) && v.some((r) => get(r, "Status") === "Enabled") ? 1 : 0),
        pass: "replication is configured",
        fail: "no enabled replication rule",
        fix: "Add `ReplicationConfiguration` with a `Role` and an enabled rule whose destination is a bucket in another region or account.",
      }),
    );
  },
};
