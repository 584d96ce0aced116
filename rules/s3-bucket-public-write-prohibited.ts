import type { Rule } from "../src/fitness/types.js";
import { finding, lineAt, lineOf, resourcesOf } from "../src/fitness/kit/findings.js";
import { blocks, bucketPolicyStatements, coversAction, isOpenAllow } from "../src/fitness/kit/policies.js";
import { publicAclCheck } from "../src/fitness/kit/public-bucket.js";

const TYPES = ["AWS::S3::Bucket"];
const WRITE_ACTIONS = ["s3:putobject", "s3:deleteobject", "s3:putobjectacl", "s3:putbucketpolicy"];

export const s3BucketPublicWriteProhibited: Rule = {
  id: "s3-bucket-public-write-prohibited",
  title: "S3 bucket not publicly writable",
  category: "security",
  weight: 4,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
  docs:
    "No `AccessControl: PublicReadWrite` and no bucket policy statement allowing `Principal: \"*\"` to put or delete " +
    "objects without a `Condition`.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) => {
      const acl = publicAclCheck(template, resource, ["PublicReadWrite"]);
      if (acl) return acl;
      if (!blocks(resource, "RestrictPublicBuckets")) {
        for (const { statement, holder } of bucketPolicyStatements(template, resource.id)) {
          if (isOpenAllow(statement) && coversAction(statement, WRITE_ACTIONS)) {
            return finding(resource.id, 0, lineOf(statement, "Principal", holder.position.line),
              `bucket policy ${holder.id} lets anyone write objects`,
              "Remove the public Allow statement for s3:PutObject / s3:DeleteObject or narrow it with a Condition.");
          }
        }
      }
      return finding(resource.id, 1, lineAt(resource, ["AccessControl"]), "no public write access", "");
    });
  },
};
