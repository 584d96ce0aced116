import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Fitness } from "../../src/fitness/types.js";
import { findDisagreements, mapConfigRules, unmatchedConfigRules } from "../../src/live/compliance.js";
import { classifyError, isThrottling, regionOfStackArn } from "../../src/live/errors.js";
import { Deadline, backoffDelay, mapLimit, withRetry } from "../../src/live/pacing.js";
import { liveCheckAllowed } from "../../src/live/guard.js";
import { resolveRegion } from "../../src/live/run.js";
import { liveFitness } from "../../src/live/score.js";
import type { LiveResource } from "../../src/live/types.js";
import { parseTemplate } from "../../src/template/parse.js";
import { stubRule } from "./aws-fakes.js";

describe("classifyError", () => {
  it("recognises the SDK's missing-credentials error", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(classifyError(error, "cloudformation:DescribeStacks", "app", "eu-west-1").kind).toBe("credentials");
  });

  it("names the IAM action for AccessDenied and AccessDeniedException", () => {
    const query = { name: "AccessDenied", Code: "AccessDenied", message: "not authorized", $metadata: { httpStatusCode: 403 } };
    const json = { name: "AccessDeniedException", message: "not authorized", $metadata: { httpStatusCode: 400 } };
    expect(classifyError(query, "cloudformation:ListStackResources", "app", "eu-west-1")).toMatchObject({
      kind: "access-denied",
      action: "cloudformation:ListStackResources",
    });
    expect(classifyError(json, "config:DescribeConfigRules", "app", null).message).toMatch(/config:DescribeConfigRules/);
  });

  it("tells a missing stack from other validation errors", () => {
    const missing = { name: "ValidationError", message: "Stack with id app does not exist" };
    const other = { name: "ValidationError", message: "1 validation error detected: Value at 'stackName' failed to satisfy constraint" };
    expect(classifyError(missing, "cloudformation:DescribeStacks", "app", "us-east-2").message).toMatch(/us-east-2/);
    expect(classifyError(other, "cloudformation:DescribeStacks", "app", "us-east-2").kind).toBe("unknown");
  });

  it("flags credentials scoped to another region as a region problem", () => {
    const error = { name: "SignatureDoesNotMatch", message: "Credential should be scoped to a valid region, not 'eu-west-1'." };
    expect(classifyError(error, "x", "app", "us-east-1").kind).toBe("region");
  });

  it("survives thrown values that are not errors", () => {
    expect(classifyError(null, "x", "app", null).kind).toBe("unknown");
    expect(classifyError("boom", "x", "app", null).message).toMatch(/boom/);
    expect(isThrottling(undefined)).toBe(false);
  });

  it("knows throttling by name, query code or HTTP 429", () => {
    expect(isThrottling({ name: "ThrottlingException" })).toBe(true);
    expect(isThrottling({ name: "X", Code: "Throttling" })).toBe(true);
    expect(isThrottling({ name: "X", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: "TooManyRequestsException" })).toBe(true);
    expect(isThrottling({ name: "AccessDenied" })).toBe(false);
  });
});

describe("regions", () => {
  it("reads the region of a stack ARN", () => {
    expect(regionOfStackArn("arn:aws:cloudformation:ap-southeast-2:123456789012:stack/app/uuid")).toBe("ap-southeast-2");
    expect(regionOfStackArn("app")).toBeNull();
  });

  it("prefers the given region, then the ARN's, then the environment", () => {
    const arn = "arn:aws:cloudformation:eu-central-1:123456789012:stack/app/uuid";
    expect(resolveRegion("app", "us-west-2", { AWS_REGION: "eu-west-1" })).toEqual({ region: "us-west-2" });
    expect(resolveRegion(arn, undefined, { AWS_REGION: "eu-west-1" })).toEqual({ region: "eu-central-1" });
    expect(resolveRegion("app", undefined, { AWS_DEFAULT_REGION: "sa-east-1" })).toEqual({ region: "sa-east-1" });
    expect(resolveRegion("app", undefined, {})).toEqual({ region: undefined });
    expect(resolveRegion(arn, "us-west-2", {})).toHaveProperty("error.kind", "region");
  });
});

describe("pacing", () => {
  it("keeps the input order and every outcome with bounded concurrency", async () => {
    let running = 0;
    let peak = 0;
    const settled = await mapLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      if (value === 4) throw new Error("four");
      return value * 10;
    });
    expect(peak).toBe(2);
    expect(settled.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : "rejected"))).toEqual([50, 10, "rejected", 20, 30]);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  it("retries throttling with growing pauses, and not other errors", async () => {
    let attempts = 0;
    const value = await withRetry(
      "x",
      async () => {
        attempts++;
        if (attempts < 3) throw { name: "ThrottlingException", message: "slow down" };
        return "done";
      },
      new Deadline(5_000),
      { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 4 },
    );
    expect([value, attempts]).toEqual(["done", 3]);

    let denied = 0;
    await expect(
      withRetry("x", async () => {
        denied++;
        throw { name: "AccessDeniedException", message: "no" };
      }, new Deadline(5_000)),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(denied).toBe(1);
  });

  it("does not pause past the deadline", async () => {
    let attempts = 0;
    const started = Date.now();
    await expect(
      withRetry("x", async () => {
        attempts++;
        throw { name: "ThrottlingException", message: "slow down" };
      }, new Deadline(50), { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 1_000 }),
    ).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(150);
  });

  it("grows the backoff ceiling exponentially up to the cap", () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
  });
});

describe("Config rule mapping", () => {
  const rules = [
    stubRule("s3-bucket-versioning-enabled", "S3_BUCKET_VERSIONING_ENABLED"),
    stubRule("s3-bucket-logging-enabled", "S3_BUCKET_LOGGING_ENABLED"),
    stubRule("safe-deployments", undefined),
  ];

  it("matches managed rules by source identifier, whatever their name", () => {
    const mapping = mapConfigRules(
      ["org-rule-7f3a", "s3-bucket-logging-enabled", "my-custom"],
      [
        { name: "org-rule-7f3a", identifier: "S3_BUCKET_VERSIONING_ENABLED" },
        // A custom rule that happens to carry a managed rule's name is not that rule.
        { name: "s3-bucket-logging-enabled", identifier: null },
        { name: "my-custom", identifier: null },
      ],
      rules,
    );
    expect(Object.fromEntries(mapping)).toEqual({
      "org-rule-7f3a": "s3-bucket-versioning-enabled",
      "s3-bucket-logging-enabled": null,
      "my-custom": null,
    });
  });

  it("falls back to Security Hub and conformance pack names when rules could not be listed", () => {
    const mapping = mapConfigRules(
      ["securityhub-s3-bucket-versioning-enabled-a1b2c3", "s3-bucket-logging-enabled-conformance-pack-xyz", "lambda-concurrency-check"],
      null,
      rules,
    );
    expect([...mapping.values()]).toEqual(["s3-bucket-versioning-enabled", "s3-bucket-logging-enabled", null]);
  });
});

const template = (() => {
  const parsed = parseTemplate("Resources:\n  A:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n", "t.yaml");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
})();

function live(logicalId: string, compliance: LiveResource["compliance"]): LiveResource {
  return { logicalId, physicalId: logicalId.toLowerCase(), type: "AWS::S3::Bucket", status: null, inTemplate: true, node: logicalId, drift: null, compliance };
}

describe("live fitness and disagreements", () => {
  const rules = [stubRule("versioning", "S3_BUCKET_VERSIONING_ENABLED", 2), stubRule("logging", "S3_BUCKET_LOGGING_ENABLED", 1)];
  const resources = [
    live("A", [
      { configRule: "v1", ruleId: "versioning", compliance: "COMPLIANT" },
      { configRule: "v2", ruleId: "versioning", compliance: "NON_COMPLIANT", annotation: "suspended" },
      { configRule: "l", ruleId: "logging", compliance: "NOT_APPLICABLE" },
    ]),
    live("B", [
      { configRule: "v1", ruleId: "versioning", compliance: "COMPLIANT" },
      { configRule: "l", ruleId: "logging", compliance: "INSUFFICIENT_DATA" },
      { configRule: "tags", ruleId: null, compliance: "NON_COMPLIANT" },
    ]),
  ];

  it("fails a resource when any matching Config rule says NON_COMPLIANT, ignores other verdicts", () => {
    const fitness = liveFitness(rules, resources, template, null);
    expect(fitness?.rules.map((rule) => rule.id)).toEqual(["versioning"]);
    expect(fitness?.rules[0]?.results.map((result) => [result.resource, result.status, result.line])).toEqual([
      ["A", "fail", 2],
      ["B", "pass", 4],
    ]);
    expect(fitness?.rules[0]?.results[0]?.message).toMatch(/v1, v2: NON_COMPLIANT \(suspended\)/);
    expect(fitness?.score).toBe(50);
    expect(fitness?.suggestions).toMatchObject([{ rule: "versioning", resource: "A", gain: 50 }]);
    expect(unmatchedConfigRules(resources)).toEqual(["tags"]);
  });

  it("keeps the template's suppressions, weights and complexity penalty, and leaves out rules it left out", () => {
    const templateFitness: Fitness = {
      score: 0,
      quality: 0,
      rules: [
        {
          id: "versioning",
          title: "versioning",
          category: "reliability",
          weight: 5,
          configRuleIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
          passRate: 0,
          results: [
            { resource: "A", status: "suppressed", score: 0, message: "", line: 2, reason: "scratch bucket" },
            { resource: "B", status: "fail", score: 0, message: "", line: 4 },
          ],
        },
      ],
      complexity: { value: 20, penalty: 3, lambda: 0.15, cap: 15, inputs: {} },
      suggestions: [],
      notes: [],
    };
    const fitness = liveFitness([...rules, stubRule("unused", "X")], resources, template, templateFitness);
    expect(fitness?.rules[0]).toMatchObject({ weight: 5, passRate: 1 });
    expect(fitness?.rules[0]?.results[0]).toMatchObject({ status: "suppressed", reason: "scratch bucket" });
    expect(fitness?.score).toBe(97);
    expect(fitness?.complexity.penalty).toBe(3);
    // The template fails B on versioning; Config's v1 says compliant (a suppressed A never disagrees).
    expect(findDisagreements(templateFitness, resources)).toEqual([
      { ruleId: "versioning", resource: "B", configRule: "v1", template: "fail", live: "COMPLIANT" },
    ]);
  });

  it("has no live score without evidence", () => {
    expect(liveFitness(rules, [live("A", [])], template, null)).toBeNull();
    expect(findDisagreements(null, resources)).toEqual([]);
  });
});

describe("SDK loading", () => {
  it("no live-check module imports the AWS SDK statically (only `import type` and dynamic import())", () => {
    const dir = new URL("../../src/live/", import.meta.url);
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
      const source = readFileSync(new URL(file, dir), "utf8");
      for (const line of source.split("\n")) {
        if (/^\s*(import|export)\b(?!\s+type\b)[^(]*from\s+["']@aws-sdk\//.test(line)) offenders.push(`${file}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
    // And the dynamic imports are there.
    expect(readFileSync(new URL("clients.ts", dir), "utf8")).toMatch(/import\("@aws-sdk\/client-cloudformation"\)/);
  });
});

describe("liveCheckAllowed", () => {
  it("never runs on pull requests from forks, runs on same-repository PRs and pushes", () => {
    expect(liveCheckAllowed({ eventName: "pull_request", headRepository: "someone/app", repository: "acme/app" })).toMatchObject({
      run: false,
      reason: expect.stringMatching(/fork someone\/app/),
    });
    expect(liveCheckAllowed({ eventName: "pull_request_target", headRepository: "someone/app", repository: "acme/app" }).run).toBe(false);
    expect(liveCheckAllowed({ eventName: "pull_request", headRepository: null, repository: "acme/app" }).run).toBe(false);
    expect(liveCheckAllowed({ eventName: "pull_request", headRepository: "Acme/App", repository: "acme/app" }).run).toBe(true);
    expect(liveCheckAllowed({ eventName: "push", repository: "acme/app" }).run).toBe(true);
  });
});
