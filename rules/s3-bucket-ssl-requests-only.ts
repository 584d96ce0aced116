import type { Rule } from "../src/fitness/types.js";
import { finding, lineOf, resourcesOf } from "../src/fitness/kit/findings.js";
import { bucketPolicyStatements, coversAction, isPublicPrincipal } from "../src/fitness/kit/policies.js";
import { get, isFalse } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::S3::Bucket"];

export const s3BucketSslRequestsOnly: Rule = {
  id: "s3-bucket-ssl-requests-only",
  title: "S3 bucket requires TLS (encryption in transit)",
  category: "security",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY",
  docs:
    "An `AWS::S3::BucketPolicy` on the bucket denies every request made without TLS: a `Deny` statement for `Principal: \"*\"`, " +
    "action `s3:*` and `Condition: { Bool: { aws:SecureTransport: false } }`.",
  evaluate({ template }) {
    return resourcesOf(template, TYPES).map((resource) => {
      const statements = bucketPolicyStatements(template, resource.id);
      for (const { statement, holder } of statements) {
        const secure = get(statement["Condition"], "Bool", "aws:SecureTransport");
        if (statement["Effect"] === "Deny" && isPublicPrincipal(statement["Principal"]) && isFalse(secure) && coversAction(statement, ["s3:getobject", "s3:putobject"])) {
          return finding(resource.id, 1, lineOf(statement, "Condition", holder.position.line), `bucket policy ${holder.id} denies non-TLS requests`, "");
        }
      }
      const line = statements[0] ? lineOf(statements[0].holder.properties, "PolicyDocument", resource.position.line) : resource.position.line;
      return finding(resource.id, 0, line, statements.length > 0 ? "the bucket policy does not deny non-TLS requests" : "no bucket policy denies non-TLS requests",
        "Add a bucket policy statement: `Effect: Deny, Principal: \"*\", Action: \"s3:*\", Resource: [bucket ARN, bucket ARN/*], Condition: { Bool: { aws:SecureTransport: false } }`.");
    });
  },
};
