/**
 * Integration: a real CloudFormation emulator (moto_server) holds the
 * deployed stacks; AWS Config, which moto does not emulate, stays on nock.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildGraph } from "../../src/graph/build.js";
import { runLiveCheck } from "../../src/live/index.js";
import { parseTemplate } from "../../src/template/parse.js";
import type { Template } from "../../src/template/types.js";
import { JSON_HEADERS, REGION, complianceBody, configCall, describeConfigRulesBody, fakeAwsEnv, stubRule } from "./aws-fakes.js";

const CORPUS = new URL("../../../shared/corpus/", import.meta.url);

function onPath(command: string): boolean {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const HAS_MOTO = onPath("moto_server");
if (!HAS_MOTO) console.warn("moto_server is not on PATH: the live-check integration tests against moto are SKIPPED.");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function parse(text: string, file: string): Template {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

let moto: ChildProcess | null = null;
let endpoint = "";

// Where moto_server must be there (CI), REQUIRE_MOTO_SERVER=1 makes its absence a failure.
it.runIf(!HAS_MOTO && process.env["REQUIRE_MOTO_SERVER"] === "1")("moto_server is installed", () => {
  expect.fail("moto_server is not on PATH, and REQUIRE_MOTO_SERVER=1 is set");
});

describe.skipIf(!HAS_MOTO)("runLiveCheck against moto_server", () => {
  let cloudFormation: CloudFormationClient;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    await waitForServer(`${endpoint}/moto-api/`, 45_000);
    cloudFormation = new CloudFormationClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: "testAKIAEXAMPLE", secretAccessKey: "testsecretEXAMPLEKEY" },
    });
  });

  afterAll(() => {
    cloudFormation?.destroy();
    if (moto?.pid) moto.kill("SIGTERM");
  });

  beforeEach(() => {
    for (const [key, value] of Object.entries(fakeAwsEnv({ AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint }))) vi.stubEnv(key, value);
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    vi.unstubAllEnvs();
  });

  it("maps a deployed translated corpus template back to its SAM source", async () => {
    const translated = readFileSync(new URL("sam-translator/output/simpletable_with_sse.json", CORPUS), "utf8");
    await cloudFormation.send(new CreateStackCommand({ StackName: "corpus-simpletable", TemplateBody: translated }));

    const template = parse(readFileSync(new URL("sam-translator/input/simpletable_with_sse.yaml", CORPUS), "utf8"), "simpletable_with_sse.yaml");
    configCall("DescribeConfigRules").reply(
      200,
      describeConfigRulesBody([{ name: "dynamodb-table-encrypted-kms", identifier: "DYNAMODB_TABLE_ENCRYPTED_KMS" }]),
      JSON_HEADERS,
    );
    const askedFor: string[] = [];
    configCall("GetComplianceDetailsByResource").reply((_uri, raw) => {
      const body = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, string>;
      askedFor.push(`${body["ResourceType"]} ${body["ResourceId"]}`);
      return [
        200,
        complianceBody(body["ResourceType"] as string, body["ResourceId"] as string, [
          { rule: "dynamodb-table-encrypted-kms", compliance: "NON_COMPLIANT", annotation: "Table uses an AWS owned key." },
        ]),
        JSON_HEADERS,
      ];
    });

    const report = await runLiveCheck({
      stackName: "corpus-simpletable",
      template,
      graph: buildGraph(template),
      rules: [stubRule("dynamodb-table-encrypted-kms", "DYNAMODB_TABLE_ENCRYPTED_KMS")],
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });

    expect(report.error).toBeNull();
    expect(report.status).toBe("CREATE_COMPLETE");
    expect(report.stackId).toMatch(/^arn:aws:cloudformation:eu-west-1:\d{12}:stack\/corpus-simpletable\//);
    expect(report.resources).toHaveLength(1);
    const table = report.resources[0];
    // The SAM SimpleTable was deployed as a DynamoDB table under the same logical ID.
    expect(table).toMatchObject({ logicalId: "TableWithSSE", type: "AWS::DynamoDB::Table", inTemplate: true, node: "TableWithSSE" });
    expect(table?.physicalId).toBeTruthy();
    expect(askedFor).toEqual([`AWS::DynamoDB::Table ${table?.physicalId}`]);
    expect(table?.compliance[0]).toMatchObject({ ruleId: "dynamodb-table-encrypted-kms", compliance: "NON_COMPLIANT" });
    expect(report.changes).toEqual({ added: [], removed: [], replaced: [], replacedBecause: {} });
    expect(report.score).toBe(0);
  });

  it("reports what the PR adds, removes (loudly for data) and replaces against the deployed stack", async () => {
    const deployed = {
      AWSTemplateFormatVersion: "2010-09-09",
      Resources: {
        Uploads: { Type: "AWS::S3::Bucket" },
        Orders: {
          Type: "AWS::DynamoDB::Table",
          Properties: {
            TableName: "orders-v1",
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
          },
        },
        Archive: {
          Type: "AWS::DynamoDB::Table",
          Properties: {
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          },
        },
        Jobs: { Type: "AWS::SQS::Queue", Properties: { VisibilityTimeout: 60 } },
      },
    };
    await cloudFormation.send(new CreateStackCommand({ StackName: "orders-app", TemplateBody: JSON.stringify(deployed) }));

    // The PR: Archive is gone, a topic is new, the Orders table is renamed (a replacement).
    const head = parse(
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Resources:",
        "  Uploads:",
        "    Type: AWS::S3::Bucket",
        "  Orders:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      TableName: orders-v2",
        "      BillingMode: PAY_PER_REQUEST",
        "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]",
        "      KeySchema: [{AttributeName: id, KeyType: HASH}]",
        "  Jobs:",
        "    Type: AWS::SQS::Queue",
        "    Properties:",
        "      VisibilityTimeout: 120",
        "  Notifications:",
        "    Type: AWS::SNS::Topic",
        "",
      ].join("\n"),
      "template.yaml",
    );
    configCall("DescribeConfigRules").reply(200, describeConfigRulesBody([]), JSON_HEADERS);

    const report = await runLiveCheck({ stackName: "orders-app", template: head, graph: buildGraph(head), rules: [] });

    expect(report.error).toBeNull();
    const byId = new Map(report.resources.map((resource) => [resource.logicalId, resource]));
    expect([...byId.keys()].sort()).toEqual(["Archive", "Jobs", "Orders", "Uploads"]);
    expect(byId.get("Jobs")?.physicalId).toMatch(/^https?:\/\/.*orders-app-Jobs/i);
    expect(byId.get("Orders")?.physicalId).toBe("orders-v1");
    expect(byId.get("Archive")?.inTemplate).toBe(false);
    expect(byId.get("Uploads")).toMatchObject({ inTemplate: true, type: "AWS::S3::Bucket" });

    expect(report.changes.added).toEqual(["Notifications"]);
    expect(report.changes.removed).toEqual([{ logicalId: "Archive", type: "AWS::DynamoDB::Table", stateful: true, retained: false }]);
    // Renaming the table replaces it; changing the queue's visibility timeout does not.
    expect(report.changes.replaced).toEqual(["Orders"]);
    expect(report.changes.replacedBecause["Orders"]).toMatch(/TableName/);
    expect(report.warnings.some((warning) => /DELETES Archive \(AWS::DynamoDB::Table\)/.test(warning))).toBe(true);

    await cloudFormation.send(new DeleteStackCommand({ StackName: "orders-app" }));
  });

  it("reports a stack moto does not hold as missing", async () => {
    const template = parse("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "t.yaml");
    const report = await runLiveCheck({ stackName: "never-deployed", template, graph: buildGraph(template), rules: [] });
    expect(report.ok).toBe(false);
    expect(report.error?.kind).toBe("stack-not-found");
  });
});
