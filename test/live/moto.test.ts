/**
 * Integration: a real CloudFormation emulator (moto_server) holds the
 * deployed stacks; AWS Config, which moto does not emulate, stays on nock.
 */
import { readFileSync } from "node:fs";
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildGraph } from "../../src/graph/build.js";
import { runLiveCheck } from "../../src/live/index.js";
import { parseTemplate } from "../../src/template/parse.js";
import { MOTO_SERVER, requireMotoTest, startMoto } from "../support/moto.js";
import type { MotoServer } from "../support/moto.js";
import type { Template } from "../../src/template/types.js";
import { JSON_HEADERS, REGION, complianceBody, configCall, describeConfigRulesBody, fakeAwsEnv, stubRule } from "./aws-fakes.js";

const CORPUS = new URL("../../../shared/corpus/", import.meta.url);

const HAS_MOTO = MOTO_SERVER !== null;

function parse(text: string, file: string): Template {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

let moto: MotoServer | null = null;
let endpoint = "";

requireMotoTest("The live-check integration tests");

describe.skipIf(!HAS_MOTO)("runLiveCheck against moto_server", () => {
  let cloudFormation: CloudFormationClient;

  beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
    cloudFormation = new CloudFormationClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: "testAKIAEXAMPLE", secretAccessKey: "testsecretEXAMPLEKEY" },
    });
  });

  afterAll(() => {
    cloudFormation?.destroy();
    moto?.stop();
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
