import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import { corpusContext } from "../rules/helpers.js";
import { outcome } from "./helpers.js";

describe("the seed application (evolutionary-template.yaml)", () => {
  const fitness = scoreTemplate(corpusContext("seed/evolutionary-template.yaml"), defaultConfig());
  const status = (rule: string, resource: string) => outcome(fitness, rule).results.find((r) => r.resource === resource);

  it("encrypted bucket and table pass encryption, the unencrypted ones fail with the line at fault", () => {
    expect(status("s3-bucket-server-side-encryption-enabled", "encryptedBucket")?.status).toBe("pass");
    expect(status("s3-bucket-server-side-encryption-enabled", "unencryptedBucket")).toMatchObject({ status: "fail", line: 15 });
    expect(status("dynamodb-table-encrypted-kms", "encryptedTable")?.status).toBe("pass");
    expect(status("dynamodb-table-encrypted-kms", "unencryptedTable")).toMatchObject({ status: "fail", line: 56 });
  });

  it("both API functions pass safe deployments with partial credit; the hook is not penalised", () => {
    expect(status("safe-deployments", "myFirstFunction")).toMatchObject({ status: "pass", score: 0.8 });
    expect(status("safe-deployments", "mySecondFunction")).toMatchObject({ status: "pass", score: 0.8 });
    expect(status("safe-deployments", "preTrafficHook")).toBeUndefined();
    expect(outcome(fitness, "safe-deployments").passRate).toBeCloseTo(0.8);
  });

  it("score = quality - complexity penalty, quality = weighted pass rate over applicable rules", () => {
    const applicable = fitness.rules.filter((r) => r.passRate !== null);
    const total = applicable.reduce((s, r) => s + r.weight, 0);
    const expected = (100 * applicable.reduce((s, r) => s + r.weight * (r.passRate as number), 0)) / total;
    expect(fitness.quality).toBeCloseTo(expected, 10);
    expect(fitness.score).toBeCloseTo(fitness.quality - fitness.complexity.penalty, 10);
    expect(fitness.complexity.penalty).toBeGreaterThan(0);
    expect(fitness.complexity.penalty).toBeLessThan(5);
    expect(fitness.rules.find((r) => r.id === "sqs-queue-encrypted")?.passRate).toBeNull();
  });

  it("the top suggestions name the missing encryption with its exact gain", () => {
    const bucket = fitness.suggestions.find((s) => s.rule === "s3-bucket-server-side-encryption-enabled");
    expect(bucket).toMatchObject({ resource: "unencryptedBucket", line: 15 });
    expect(bucket?.gain).toBeGreaterThan(1);
    const gains = fitness.suggestions.map((s) => s.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
  });
});
