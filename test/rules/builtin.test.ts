import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";

describe("built-in rules", () => {
  it("have unique kebab-case ids; a Config identifier, when given, is the id in UPPER_SNAKE form", () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of BUILTIN_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (rule.configRuleIdentifier !== undefined) expect(rule.configRuleIdentifier).toBe(rule.id.toUpperCase().replace(/-/g, "_"));
      expect(rule.weight).toBeGreaterThan(0);
      expect(rule.docs.length).toBeGreaterThan(40);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    }
  });

  it("cover the rules the issue asks for", () => {
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    for (const id of [
      "s3-bucket-server-side-encryption-enabled", "s3-bucket-versioning-enabled", "s3-bucket-logging-enabled",
      "s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited", "s3-bucket-ssl-requests-only",
      "s3-bucket-replication-enabled", "dynamodb-autoscaling-enabled", "dynamodb-pitr-enabled", "dynamodb-table-encrypted-kms",
      "lambda-function-public-access-prohibited", "lambda-function-settings-check", "lambda-dlq-check", "sns-encrypted-kms",
      "kinesis-stream-encrypted", "cloudwatch-log-group-encrypted", "api-gw-execution-logging-enabled", "api-gw-xray-enabled",
      "safe-deployments", "sqs-queue-dlq-check", "eventbridge-rule-target-dlq",
    ]) expect(ids.has(id), id).toBe(true);
    expect(ids.has("lambda-inside-vpc")).toBe(false);
  });
});
