import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Fitness, RuleOutcome } from "../../src/fitness/types.js";
import { buildGraph } from "../../src/graph/build.js";
import { runLiveCheck } from "../../src/live/index.js";
import { SAM_TRANSFORM } from "../../src/live/mapping.js";
import { parseTemplate } from "../../src/template/parse.js";
import type { Template } from "../../src/template/types.js";
import {
  JSON_HEADERS,
  cfnCall,
  complianceBody,
  configCall,
  configError,
  describeConfigRulesBody,
  describeStacksXml,
  fakeAwsEnv,
  getTemplateXml,
  listStackResourcesXml,
  stubRule,
  type FakeEvaluation,
  type FakeResource,
} from "./aws-fakes.js";

const CORPUS = new URL("../../../shared/corpus/", import.meta.url);
const SEED = new URL("seed/evolutionary-template.yaml", CORPUS);
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

function seedTemplate(): Template {
  const parsed = parseTemplate(readFileSync(SEED, "utf8"), "evolutionary-template.yaml");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

function useEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
}

beforeEach(() => {
  nock.disableNetConnect();
  useEnv(fakeAwsEnv());
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  vi.unstubAllEnvs();
});

/** The seed application as deployed a while ago: one table since dropped from the template, one not yet added. */
const SEED_DEPLOYED: FakeResource[] = [
  { logicalId: "encryptedBucket", physicalId: "evo-app-encryptedbucket-1x2y3z", type: "AWS::S3::Bucket", drift: "MODIFIED" },
  { logicalId: "unencryptedBucket", physicalId: "evo-app-unencryptedbucket-4a5b6c", type: "AWS::S3::Bucket" },
  { logicalId: "encryptedTable", physicalId: "evo-app-encryptedTable-ABC123", type: "AWS::DynamoDB::Table" },
  { logicalId: "archiveTable", physicalId: "evo-app-archiveTable-DEF456", type: "AWS::DynamoDB::Table" },
  { logicalId: "auditTopic", physicalId: "arn:aws:sns:eu-west-1:123456789012:evo-app-auditTopic-GHI", type: "AWS::SNS::Topic" },
  { logicalId: "myFirstFunction", physicalId: "evo-app-myFirstFunction-J1", type: "AWS::Lambda::Function" },
  { logicalId: "myFirstFunctionRole", physicalId: "evo-app-myFirstFunctionRole-K2", type: "AWS::IAM::Role" },
  { logicalId: "myFirstFunctionAliaslive", physicalId: "arn:aws:lambda:eu-west-1:123456789012:function:evo-app-myFirstFunction-J1:live", type: "AWS::Lambda::Alias" },
  { logicalId: "myFirstFunctionVersion3f2a9c1b7e", physicalId: "arn:aws:lambda:eu-west-1:123456789012:function:evo-app-myFirstFunction-J1:3", type: "AWS::Lambda::Version" },
  { logicalId: "mySecondFunction", physicalId: "evo-app-mySecondFunction-L3", type: "AWS::Lambda::Function" },
  { logicalId: "preTrafficHook", physicalId: "CodeDeployHook_preTrafficHook", type: "AWS::Lambda::Function" },
  { logicalId: "ServerlessRestApi", physicalId: "a1b2c3d4e5", type: "AWS::ApiGateway::RestApi" },
  { logicalId: "ServerlessRestApiProdStage", physicalId: "Prod", type: "AWS::ApiGateway::Stage" },
  { logicalId: "ServerlessDeploymentApplication", physicalId: "evo-app-ServerlessDeploymentApplication-M4", type: "AWS::CodeDeploy::Application" },
];

/** The processed template the stack was deployed with (only what the check reads). */
const SEED_DEPLOYED_TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: "2010-09-09",
  Resources: {
    encryptedBucket: {
      Type: "AWS::S3::Bucket",
      Properties: {
        BucketName: "evo-encrypted-v1",
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      },
    },
    unencryptedBucket: { Type: "AWS::S3::Bucket" },
    archiveTable: { Type: "AWS::DynamoDB::Table", DeletionPolicy: "Delete", Properties: {} },
    auditTopic: { Type: "AWS::SNS::Topic" },
    myFirstFunction: { Type: "AWS::Lambda::Function", Properties: { Runtime: "nodejs8.10" } },
  },
});

const SEED_CONFIG_RULES = [
  { name: "securityhub-s3-bucket-versioning-enabled-a1b2c3", identifier: "S3_BUCKET_VERSIONING_ENABLED" },
  { name: "s3-bucket-server-side-encryption-enabled", identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED" },
  { name: "dynamodb-pitr-enabled-conformance-pack-xyzabc", identifier: "DYNAMODB_PITR_ENABLED" },
  { name: "lambda-concurrency-check", identifier: "LAMBDA_CONCURRENCY_CHECK" },
  { name: "custom-tagging-policy", owner: "CUSTOM_LAMBDA" as const },
];

const SEED_EVALUATIONS: Record<string, FakeEvaluation[]> = {
  "evo-app-encryptedbucket-1x2y3z": [
    { rule: "s3-bucket-server-side-encryption-enabled", compliance: "COMPLIANT" },
    { rule: "securityhub-s3-bucket-versioning-enabled-a1b2c3", compliance: "NON_COMPLIANT", annotation: "Versioning is Suspended." },
    { rule: "custom-tagging-policy", compliance: "NON_COMPLIANT", annotation: "Missing tag CostCenter." },
  ],
  "evo-app-unencryptedbucket-4a5b6c": [
    // Since 2023 S3 encrypts new buckets with SSE-S3 by default: Config says compliant although the template sets nothing.
    { rule: "s3-bucket-server-side-encryption-enabled", compliance: "COMPLIANT" },
    { rule: "securityhub-s3-bucket-versioning-enabled-a1b2c3", compliance: "NON_COMPLIANT" },
  ],
  "evo-app-encryptedTable-ABC123": [
    { rule: "dynamodb-pitr-enabled-conformance-pack-xyzabc", compliance: "NON_COMPLIANT", annotation: "PITR is disabled." },
  ],
  "evo-app-archiveTable-DEF456": [{ rule: "dynamodb-pitr-enabled-conformance-pack-xyzabc", compliance: "COMPLIANT" }],
  "evo-app-myFirstFunction-J1": [{ rule: "lambda-concurrency-check", compliance: "COMPLIANT" }],
  "evo-app-mySecondFunction-L3": [{ rule: "lambda-concurrency-check", compliance: "NOT_APPLICABLE" }],
};

const SEED_RULES = [
  stubRule("s3-bucket-server-side-encryption-enabled", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", 3),
  stubRule("s3-bucket-versioning-enabled", "S3_BUCKET_VERSIONING_ENABLED", 2),
  stubRule("dynamodb-pitr-enabled", "DYNAMODB_PITR_ENABLED", 2),
  stubRule("lambda-dlq-check", "LAMBDA_DLQ_CHECK", 1),
];

function outcome(id: string, weight: number, results: [string, "pass" | "fail"][]): RuleOutcome {
  return {
    id,
    title: id,
    category: "security",
    weight,
    configRuleIdentifier: null,
    passRate: results.filter(([, status]) => status === "pass").length / results.length,
    results: results.map(([resource, status]) => ({ resource, status, score: status === "pass" ? 1 : 0, message: status, line: 1 })),
  };
}

/** What the template-level engine says about the seed (the parts the live check reads). */
const SEED_TEMPLATE_FITNESS: Fitness = {
  score: 40,
  quality: 42,
  rules: [
    outcome("s3-bucket-server-side-encryption-enabled", 3, [["encryptedBucket", "pass"], ["unencryptedBucket", "fail"]]),
    outcome("s3-bucket-versioning-enabled", 2, [["encryptedBucket", "fail"], ["unencryptedBucket", "fail"]]),
    outcome("dynamodb-pitr-enabled", 2, [["encryptedTable", "fail"], ["unencryptedTable", "fail"]]),
    outcome("lambda-dlq-check", 1, [["myFirstFunction", "fail"]]),
  ],
  complexity: { value: 10, penalty: 2, lambda: 0.2, cap: 15, inputs: { nodes: 8 } },
  suggestions: [],
  notes: [],
};

function bodyOf(body: unknown): Record<string, unknown> {
  return (typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>;
}

function interceptSeedStack(): void {
  cfnCall("DescribeStacks", (form) => form["StackName"] === "evo-app")
    .reply(200, describeStacksXml({ name: "evo-app", drift: "DRIFTED" }));
  // Two pages: the check must follow NextToken.
  cfnCall("ListStackResources", (form) => !form["NextToken"])
    .reply(200, listStackResourcesXml(SEED_DEPLOYED.slice(0, 8), "page-2-token"));
  cfnCall("ListStackResources", (form) => form["NextToken"] === "page-2-token")
    .reply(200, listStackResourcesXml(SEED_DEPLOYED.slice(8)));
  cfnCall("GetTemplate", (form) => form["TemplateStage"] === "Processed").reply(200, getTemplateXml(SEED_DEPLOYED_TEMPLATE));
}

describe("runLiveCheck against the seed application (nock)", () => {
  it("maps the deployed stack, its drift, Config verdicts and the live score", async () => {
    interceptSeedStack();
    configCall("DescribeConfigRules", (body) => !body["NextToken"])
      .reply(200, describeConfigRulesBody(SEED_CONFIG_RULES.slice(0, 3), "rules-2"), JSON_HEADERS);
    configCall("DescribeConfigRules", (body) => body["NextToken"] === "rules-2")
      .reply(200, describeConfigRulesBody(SEED_CONFIG_RULES.slice(3)), JSON_HEADERS);

    const asked: string[] = [];
    let throttledOnce = false;
    // 9 resources of a queryable type, one second page, one throttled attempt.
    configCall("GetComplianceDetailsByResource")
      .times(11)
      .reply((_uri, raw) => {
        const body = bodyOf(raw);
        const id = String(body["ResourceId"]);
        const type = String(body["ResourceType"]);
        asked.push(`${type} ${id}${body["NextToken"] ? " (page 2)" : ""}`);
        if (id === "evo-app-unencryptedbucket-4a5b6c" && !throttledOnce) {
          throttledOnce = true;
          return [400, configError("ThrottlingException", "Rate exceeded"), JSON_HEADERS];
        }
        const evaluations = SEED_EVALUATIONS[id] ?? [];
        // The encrypted bucket's verdicts come in two pages.
        if (id === "evo-app-encryptedbucket-1x2y3z") {
          return body["NextToken"] === "eval-2"
            ? [200, complianceBody(type, id, evaluations.slice(1)), JSON_HEADERS]
            : [200, complianceBody(type, id, evaluations.slice(0, 1), "eval-2"), JSON_HEADERS];
        }
        return [200, complianceBody(type, id, evaluations), JSON_HEADERS];
      });

    const template = seedTemplate();
    const report = await runLiveCheck({
      stackName: "evo-app",
      template,
      graph: buildGraph(template),
      rules: SEED_RULES,
      templateFitness: SEED_TEMPLATE_FITNESS,
      retry: FAST_RETRY,
    });

    expect(report.error).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.region).toBe("eu-west-1");
    expect(report.status).toBe("UPDATE_COMPLETE");
    expect(report.lastUpdated).toBe("2026-11-19T16:30:12.123Z");
    expect(report.drift).toBe("DRIFTED");
    expect(report.stackId).toMatch(/^arn:aws:cloudformation:eu-west-1:123456789012:stack\/evo-app\//);

    // Every deployed resource, in order, from both pages.
    expect(report.resources.map((resource) => resource.logicalId)).toEqual(SEED_DEPLOYED.map((resource) => resource.logicalId));
    const byId = new Map(report.resources.map((resource) => [resource.logicalId, resource]));
    expect(byId.get("myFirstFunction")).toMatchObject({ inTemplate: true, node: "myFirstFunction", type: "AWS::Lambda::Function" });
    expect(byId.get("myFirstFunctionRole")).toMatchObject({ inTemplate: true, generatedBy: "myFirstFunction", node: "myFirstFunction" });
    expect(byId.get("myFirstFunctionVersion3f2a9c1b7e")?.generatedBy).toBe("myFirstFunction");
    expect(byId.get("ServerlessRestApiProdStage")).toMatchObject({ inTemplate: true, generatedBy: SAM_TRANSFORM });
    expect(byId.get("archiveTable")).toMatchObject({ inTemplate: false, node: null });
    expect(byId.get("encryptedBucket")?.drift).toBe("MODIFIED");

    // Config: pagination followed, the throttled call retried, rules mapped through their source identifiers.
    expect(asked.filter((entry) => entry.includes("evo-app-encryptedbucket-1x2y3z"))).toHaveLength(2);
    expect(asked.filter((entry) => entry.includes("evo-app-unencryptedbucket-4a5b6c"))).toHaveLength(2);
    expect(asked.some((entry) => entry.includes("AWS::IAM::Role"))).toBe(false);
    expect(byId.get("encryptedBucket")?.compliance).toEqual([
      { configRule: "s3-bucket-server-side-encryption-enabled", ruleId: "s3-bucket-server-side-encryption-enabled", compliance: "COMPLIANT" },
      {
        configRule: "securityhub-s3-bucket-versioning-enabled-a1b2c3",
        ruleId: "s3-bucket-versioning-enabled",
        compliance: "NON_COMPLIANT",
        annotation: "Versioning is Suspended.",
      },
      { configRule: "custom-tagging-policy", ruleId: null, compliance: "NON_COMPLIANT", annotation: "Missing tag CostCenter." },
    ]);
    expect(report.coverage).toEqual({ supported: 9, checked: 9, config: true });
    expect(report.unmatchedConfigRules).toEqual(["custom-tagging-policy", "lambda-concurrency-check"]);

    // The template says the unencrypted bucket fails encryption; Config says it is compliant.
    expect(report.disagreements).toEqual([
      {
        ruleId: "s3-bucket-server-side-encryption-enabled",
        resource: "unencryptedBucket",
        configRule: "s3-bucket-server-side-encryption-enabled",
        template: "fail",
        live: "COMPLIANT",
      },
    ]);

    // PR against the deployed stack.
    expect(report.changes.added).toEqual(["unencryptedTable"]);
    expect(report.changes.removed).toEqual([
      { logicalId: "archiveTable", type: "AWS::DynamoDB::Table", stateful: true, retained: false },
      { logicalId: "auditTopic", type: "AWS::SNS::Topic", stateful: false, retained: false },
    ]);
    expect(report.changes.replaced).toEqual(["encryptedBucket"]);
    expect(report.changes.replacedBecause["encryptedBucket"]).toMatch(/BucketName/);
    expect(report.warnings.some((warning) => /DELETES archiveTable/.test(warning))).toBe(true);
    expect(report.warnings.some((warning) => /auditTopic/.test(warning))).toBe(false);
    expect(report.warnings.some((warning) => /drifted/.test(warning))).toBe(true);

    // Live score: SSE 2/2 (w3), versioning 0/2 (w2), PITR 1/2 (w2, the archived table counts: it is deployed),
    // so 100 x (3 + 0 + 1) / 7, minus the template's complexity penalty of 2.
    expect(report.fitness?.rules.map((rule) => [rule.id, rule.passRate])).toEqual([
      ["s3-bucket-server-side-encryption-enabled", 1],
      ["s3-bucket-versioning-enabled", 0],
      ["dynamodb-pitr-enabled", 0.5],
    ]);
    expect(report.score).toBeCloseTo((100 * 4) / 7 - 2, 10);
    // Passing one more PITR table or one more versioned bucket is worth the same: 100 x 2 x 0.5 / 7.
    expect(report.fitness?.suggestions.map((s) => [s.rule, s.resource])).toEqual([
      ["dynamodb-pitr-enabled", "encryptedTable"],
      ["s3-bucket-versioning-enabled", "encryptedBucket"],
      ["s3-bucket-versioning-enabled", "unencryptedBucket"],
    ]);
    expect(report.fitness?.suggestions[0]?.gain).toBeCloseTo(100 / 7, 10);
    expect(nock.isDone()).toBe(true);
  });

  it("serialises to JSON without losing fields (the CLI's `live` section)", async () => {
    interceptSeedStack();
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([]), JSON_HEADERS);
    const template = seedTemplate();
    const report = await runLiveCheck({ stackName: "evo-app", template, graph: buildGraph(template), rules: SEED_RULES, retry: FAST_RETRY });
    const roundTrip = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(roundTrip).toEqual(report);
    expect(report.score).toBeNull();
    expect(report.coverage.config).toBe(false);
    expect(report.warnings.some((warning) => /no rules in eu-west-1/.test(warning))).toBe(true);
  });
});
