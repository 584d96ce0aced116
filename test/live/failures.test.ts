import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildGraph } from "../../src/graph/build.js";
import { runLiveCheck, type LiveCheckOptions } from "../../src/live/index.js";
import { parseTemplate } from "../../src/template/parse.js";
import type { Template } from "../../src/template/types.js";
import {
  JSON_HEADERS,
  cfnCall,
  cfnErrorXml,
  complianceBody,
  configCall,
  configError,
  describeConfigRulesBody,
  describeStacksXml,
  fakeAwsEnv,
  getTemplateXml,
  listStackResourcesXml,
  stubRule,
  type FakeResource,
} from "./aws-fakes.js";

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

function inlineTemplate(resources: Record<string, unknown>): Template {
  const parsed = parseTemplate(JSON.stringify({ Resources: resources }), "template.json");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

const SMALL_TEMPLATE = inlineTemplate({ Uploads: { Type: "AWS::S3::Bucket" } });
const SMALL_DEPLOYED: FakeResource[] = [{ logicalId: "Uploads", physicalId: "app-uploads-1a2b", type: "AWS::S3::Bucket" }];
const VERSIONING = stubRule("s3-bucket-versioning-enabled", "S3_BUCKET_VERSIONING_ENABLED");

function options(extra: Partial<LiveCheckOptions> = {}): LiveCheckOptions {
  const template = extra.template ?? SMALL_TEMPLATE;
  return { stackName: "app", template, graph: buildGraph(template), rules: [VERSIONING], retry: FAST_RETRY, ...extra };
}

beforeEach(() => {
  nock.disableNetConnect();
  for (const [key, value] of Object.entries(fakeAwsEnv())) vi.stubEnv(key, value);
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  vi.unstubAllEnvs();
});

function interceptSmallStack(): void {
  cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
  cfnCall("ListStackResources").reply(200, listStackResourcesXml(SMALL_DEPLOYED));
  cfnCall("GetTemplate").reply(200, getTemplateXml(JSON.stringify({ Resources: { Uploads: { Type: "AWS::S3::Bucket" } } })));
}

describe("CloudFormation failures", () => {
  it("reports a stack that does not exist, naming the region", async () => {
    cfnCall("DescribeStacks").reply(400, cfnErrorXml("ValidationError", "Stack with id app does not exist"));
    const report = await runLiveCheck(options());
    expect(report.ok).toBe(false);
    expect(report.error?.kind).toBe("stack-not-found");
    expect(report.error?.message).toMatch(/Stack app does not exist in region eu-west-1/);
    expect(report.warnings).toContain(report.error?.message);
    expect(report.score).toBeNull();
  });

  it("treats a deleted stack (looked up by ARN) as missing", async () => {
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app", status: "DELETE_COMPLETE" }));
    const report = await runLiveCheck(options({ stackName: "arn:aws:cloudformation:eu-west-1:123456789012:stack/app/5b6b8a40" }));
    expect(report.error?.kind).toBe("stack-not-found");
    expect(report.error?.message).toMatch(/was deleted/);
  });

  it("names the IAM action when access is denied", async () => {
    cfnCall("DescribeStacks").reply(
      403,
      cfnErrorXml(
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/gh-actions/run-1 is not authorized to perform: " +
          "cloudformation:DescribeStacks on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/app/*",
      ),
    );
    const report = await runLiveCheck(options());
    expect(report.error).toMatchObject({ kind: "access-denied", action: "cloudformation:DescribeStacks" });
    expect(report.error?.message).toMatch(/needs the IAM permission cloudformation:DescribeStacks/);
  });

  it("names ListStackResources when only that is denied", async () => {
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
    cfnCall("ListStackResources").reply(403, cfnErrorXml("AccessDenied", "not authorized to perform: cloudformation:ListStackResources"));
    const report = await runLiveCheck(options());
    expect(report.error).toMatchObject({ kind: "access-denied", action: "cloudformation:ListStackResources" });
  });

  it("retries a throttled ListStackResources and succeeds", async () => {
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
    cfnCall("ListStackResources").times(2).reply(400, cfnErrorXml("Throttling", "Rate exceeded"));
    cfnCall("ListStackResources").reply(200, listStackResourcesXml(SMALL_DEPLOYED));
    cfnCall("GetTemplate").reply(403, cfnErrorXml("AccessDenied", "not authorized to perform: cloudformation:GetTemplate"));
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([]), JSON_HEADERS);
    const report = await runLiveCheck(options());
    expect(report.ok).toBe(true);
    expect(report.resources.map((resource) => resource.physicalId)).toEqual(["app-uploads-1a2b"]);
    // A missing GetTemplate permission only costs the replacement detection.
    expect(report.warnings.some((warning) => /cloudformation:GetTemplate/.test(warning))).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it("gives up on throttling after the retry policy's attempts", async () => {
    cfnCall("DescribeStacks").times(3).reply(400, cfnErrorXml("Throttling", "Rate exceeded"));
    const report = await runLiveCheck(options({ retry: { ...FAST_RETRY, maxAttempts: 3 } }));
    expect(report.ok).toBe(false);
    expect(report.error?.message).toMatch(/Rate exceeded/);
    expect(nock.isDone()).toBe(true);
  });

  it("says so when there are no credentials", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", "");
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
    const report = await runLiveCheck(options());
    expect(report.error?.kind).toBe("credentials");
    expect(report.error?.message).toMatch(/No valid AWS credentials/);
  });

  it("says so when no region is configured", async () => {
    vi.stubEnv("AWS_REGION", "");
    const report = await runLiveCheck(options());
    expect(report.error?.kind).toBe("region");
    expect(report.error?.message).toMatch(/--region/);
  });

  it("refuses a region that contradicts the stack ARN, before any call", async () => {
    const stackName = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b6b8a40-9a1e-11ee-b9d1-0242ac120002";
    const report = await runLiveCheck(options({ stackName, region: "eu-west-1" }));
    expect(report.error?.kind).toBe("region");
    expect(report.error?.message).toMatch(/us-east-1.*eu-west-1/);
  });

  it("honours AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_CONFIG_SERVICE", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
    vi.stubEnv("AWS_ENDPOINT_URL_CONFIG_SERVICE", "http://127.0.0.1:4577");
    const cfn = nock("http://127.0.0.1:4566");
    cfn.post("/", (body) => String(new URLSearchParams(body as string).get("Action") ?? (body as Record<string, string>)["Action"]) === "DescribeStacks")
      .reply(200, describeStacksXml({ name: "app" }));
    cfn.post("/").reply(200, listStackResourcesXml(SMALL_DEPLOYED));
    cfn.post("/").reply(200, getTemplateXml("{}"));
    const config = nock("http://127.0.0.1:4577");
    config.post("/").reply(200, describeConfigRulesBody([{ name: "s3-bucket-versioning-enabled", identifier: "S3_BUCKET_VERSIONING_ENABLED" }]), JSON_HEADERS);
    config.post("/").reply(
      200,
      complianceBody("AWS::S3::Bucket", "app-uploads-1a2b", [{ rule: "s3-bucket-versioning-enabled", compliance: "COMPLIANT" }]),
      JSON_HEADERS,
    );
    const report = await runLiveCheck(options());
    expect(report.ok).toBe(true);
    expect(report.score).toBe(100);
    expect(cfn.isDone() && config.isDone()).toBe(true);
  });
});

describe("AWS Config failures and scale", () => {
  it("stops asking Config after an access denied, and names the action", async () => {
    const template = inlineTemplate(
      Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`Bucket${i}`, { Type: "AWS::S3::Bucket" }])),
    );
    const deployed = Array.from({ length: 5 }, (_, i) => ({ logicalId: `Bucket${i}`, physicalId: `app-bucket-${i}`, type: "AWS::S3::Bucket" }));
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
    cfnCall("ListStackResources").reply(200, listStackResourcesXml(deployed));
    cfnCall("GetTemplate").reply(200, getTemplateXml("{}"));
    configCall("DescribeConfigRules").reply(
      400,
      configError("AccessDeniedException", "User is not authorized to perform: config:DescribeConfigRules"),
      JSON_HEADERS,
    );
    let calls = 0;
    configCall("GetComplianceDetailsByResource")
      .times(5)
      .reply(() => {
        calls++;
        return [400, configError("AccessDeniedException", "not authorized to perform: config:GetComplianceDetailsByResource"), JSON_HEADERS];
      });
    const report = await runLiveCheck(options({ template, graph: buildGraph(template), concurrency: 1 }));
    expect(report.ok).toBe(true);
    expect(calls).toBe(1);
    expect(report.warnings.filter((warning) => /config:GetComplianceDetailsByResource/.test(warning))).toHaveLength(1);
    expect(report.warnings.some((warning) => /config:DescribeConfigRules/.test(warning))).toBe(true);
    expect(report.coverage).toEqual({ supported: 5, checked: 0, config: false });
    expect(report.score).toBeNull();
  });

  it("reads 200 resources over two pages with at most `concurrency` Config calls in flight", async () => {
    const count = 200;
    const ids = Array.from({ length: count }, (_, i) => `Bucket${String(i).padStart(3, "0")}`);
    const template = inlineTemplate(Object.fromEntries(ids.map((id) => [id, { Type: "AWS::S3::Bucket" }])));
    const deployed = ids.map((id) => ({ logicalId: id, physicalId: `app-${id.toLowerCase()}-x9`, type: "AWS::S3::Bucket" }));
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
    cfnCall("ListStackResources", (form) => !form["NextToken"]).reply(200, listStackResourcesXml(deployed.slice(0, 100), "next-100"));
    cfnCall("ListStackResources", (form) => form["NextToken"] === "next-100").reply(200, listStackResourcesXml(deployed.slice(100)));
    cfnCall("GetTemplate").reply(200, getTemplateXml(JSON.stringify({ Resources: { Bucket000: { Type: "AWS::S3::Bucket" } } })));
    configCall("DescribeConfigRules").reply(
      200,
      describeConfigRulesBody([{ name: "s3-bucket-versioning-enabled", identifier: "S3_BUCKET_VERSIONING_ENABLED" }]),
      JSON_HEADERS,
    );
    let inFlight = 0;
    let peak = 0;
    configCall("GetComplianceDetailsByResource")
      .times(count)
      .reply((_uri, raw, callback) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        const body = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, string>;
        const id = body["ResourceId"] as string;
        // One bucket in ten is not versioned.
        const compliance = id.endsWith("0-x9") ? "NON_COMPLIANT" : "COMPLIANT";
        setTimeout(() => {
          inFlight--;
          callback(null, [200, complianceBody("AWS::S3::Bucket", id, [{ rule: "s3-bucket-versioning-enabled", compliance }]), JSON_HEADERS]);
        }, 2);
      });
    const report = await runLiveCheck(options({ template, graph: buildGraph(template), concurrency: 4 }));
    expect(report.ok).toBe(true);
    expect(report.resources).toHaveLength(count);
    expect(report.resources.every((resource) => resource.inTemplate && resource.compliance.length === 1)).toBe(true);
    expect(report.coverage).toEqual({ supported: count, checked: count, config: true });
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
    expect(report.score).toBeCloseTo(90, 10);
    expect(report.changes).toMatchObject({ added: [], removed: [], replaced: [] });
  });

  it("stops at the time budget and says how far it got", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `Bucket${i}`);
    const template = inlineTemplate(Object.fromEntries(ids.map((id) => [id, { Type: "AWS::S3::Bucket" }])));
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app" }));
    cfnCall("ListStackResources").reply(
      200,
      listStackResourcesXml(ids.map((id) => ({ logicalId: id, physicalId: `app-${id}`, type: "AWS::S3::Bucket" }))),
    );
    cfnCall("GetTemplate").reply(200, getTemplateXml("{}"));
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([{ name: "v", identifier: "S3_BUCKET_VERSIONING_ENABLED" }]), JSON_HEADERS);
    configCall("GetComplianceDetailsByResource")
      .times(12)
      .delay(150)
      .reply((_uri, raw) => {
        const body = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, string>;
        return [200, complianceBody("AWS::S3::Bucket", body["ResourceId"] as string, [{ rule: "v", compliance: "COMPLIANT" }]), JSON_HEADERS];
      });
    const started = Date.now();
    const report = await runLiveCheck(options({ template, graph: buildGraph(template), concurrency: 2, budgetMs: 500 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report.ok).toBe(true);
    expect(report.coverage.checked).toBeGreaterThan(0);
    expect(report.coverage.checked).toBeLessThan(12);
    expect(report.warnings.some((warning) => /time budget ran out/.test(warning))).toBe(true);
    expect(report.score).toBe(100);
  });
});

describe("the stack as-is", () => {
  it("warns about a stack left in a failed state", async () => {
    cfnCall("DescribeStacks").reply(200, describeStacksXml({ name: "app", status: "UPDATE_ROLLBACK_FAILED" }));
    cfnCall("ListStackResources").reply(200, listStackResourcesXml(SMALL_DEPLOYED));
    cfnCall("GetTemplate").reply(200, getTemplateXml("{}"));
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([]), JSON_HEADERS);
    const report = await runLiveCheck(options());
    expect(report.status).toBe("UPDATE_ROLLBACK_FAILED");
    expect(report.warnings[0]).toMatch(/UPDATE_ROLLBACK_FAILED/);
  });

  it("reads the small stack end to end", async () => {
    interceptSmallStack();
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([]), JSON_HEADERS);
    const report = await runLiveCheck(options());
    expect(report.resources).toEqual([
      {
        logicalId: "Uploads",
        physicalId: "app-uploads-1a2b",
        type: "AWS::S3::Bucket",
        status: "UPDATE_COMPLETE",
        inTemplate: true,
        node: "Uploads",
        drift: "NOT_CHECKED",
        compliance: [],
      },
    ]);
  });
});
