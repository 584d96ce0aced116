import type { Rule } from "../src/fitness/types.js";
import { finding, lineAt, lineOf, resourcesOf } from "../src/fitness/kit/findings.js";
import { blocks, bucketPolicyStatements, coversAction, isOpenAllow } from "../src/fitness/kit/policies.js";
import { publicAclCheck } from "../src/fitness/kit/public-bucket.js";

const TYPES = ["AWS::S3::Bucket"];
const READ_ACTIONS = ["s3:getobject", "s3:listbucket", "s3:getobjectversion"];

export const s3BucketPublicReadProhibited: Rule = {
  id: "s3-bucket-public-read-prohibited",
  title: "S3 bucket not publicly readable",
  category: "security",
  weight: 4,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED",
  docs:
    "No public-read ACL (`AccessControl: PublicRead`, `PublicReadWrite`, `AuthenticatedRead`) and no bucket policy " +
    "statement allowing `Principal: \"*\"` to read objects without a `Condition`. " +
    "`PublicAccessBlockConfiguration` with `IgnorePublicAcls` / `RestrictPublicBuckets` neutralises the ACL / the policy.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) => {
      const acl = publicAclCheck(template, resource, ["PublicRead", "PublicReadWrite", "AuthenticatedRead"]);
      if (acl) return acl;
      if (!blocks(resource, "RestrictPublicBuckets")) {
        for (const { statement, holder } of bucketPolicyStatements(template, resource.id)) {
          if (isOpenAllow(statement) && coversAction(statement, READ_ACTIONS)) {
            return finding(resource.id, 0, lineOf(statement, "Principal", holder.position.line),
              `bucket policy ${holder.id} lets anyone read objects`,
              "Remove the public Allow statement or narrow it with a Condition (e.g. aws:SourceArn of a CloudFront distribution).");
          }
        }
      }
      return finding(resource.id, 1, lineAt(resource, ["AccessControl"]), "no public read access", "");
    });
  },
};
