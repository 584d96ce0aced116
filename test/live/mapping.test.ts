import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/graph/build.js";
import type { DeployedResource } from "../../src/live/cloudformation.js";
import { SAM_TRANSFORM, canonical, computeChanges, graphNodeOf, matchDeployed } from "../../src/live/mapping.js";
import { parseTemplate } from "../../src/template/parse.js";
import type { Template } from "../../src/template/types.js";

const CORPUS = new URL("../../../shared/corpus/sam-translator/", import.meta.url);

function parse(text: string, file = "template.yaml"): Template {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

function corpus(name: string): { input: Template; output: Template } {
  return {
    input: parse(readFileSync(new URL(`input/${name}.yaml`, CORPUS), "utf8"), `${name}.yaml`),
    output: parse(readFileSync(new URL(`output/${name}.json`, CORPUS), "utf8"), `${name}.json`),
  };
}

/** The stack as CloudFormation would list it after deploying a translated template. */
function deployedFrom(output: Template): DeployedResource[] {
  return [...output.resources.values()].map((resource) => ({
    logicalId: resource.id,
    physicalId: `phys-${resource.id}`,
    type: resource.type,
    status: "CREATE_COMPLETE",
    drift: null,
  }));
}

describe("matching deployed resources to the SAM template", () => {
  it("the whole translator corpus: deploying the output and checking the SAM input against it shows no change", () => {
    const inputs = readdirSync(new URL("input/", CORPUS)).filter((file) => file.endsWith(".yaml") && !file.startsWith("error_"));
    let compared = 0;
    const changed: string[] = [];
    for (const file of inputs) {
      const name = file.slice(0, -".yaml".length);
      const outputUrl = new URL(`output/${name}.json`, CORPUS);
      if (!existsSync(outputUrl)) continue;
      const input = parseTemplate(readFileSync(new URL(`input/${file}`, CORPUS), "utf8"), file);
      const output = parseTemplate(readFileSync(outputUrl, "utf8"), `${name}.json`);
      if (!input.ok || !output.ok || output.template.resources.size === 0) continue;
      compared++;
      const changes = computeChanges(input.template, deployedFrom(output.template), output.template);
      if (changes.added.length + changes.removed.length + changes.replaced.length > 0) {
        changed.push(`${name}: ${JSON.stringify(changes)}`);
      }
    }
    expect(compared).toBeGreaterThan(400);
    expect(changed).toEqual([]);
  });

  it("an edited corpus template: a dropped function and a new bucket show up", () => {
    const { input, output } = corpus("function_with_deployment_preference");
    const functionId = [...input.resources.values()].find((resource) => resource.type === "AWS::Serverless::Function")?.id as string;
    input.resources.delete(functionId);
    const changes = computeChanges(input, deployedFrom(output), output);
    // The function and everything SAM generated for it would be deleted.
    expect(changes.removed.map((removed) => removed.logicalId)).toContain(functionId);
    expect(changes.removed.map((removed) => removed.logicalId)).toContain(`${functionId}Role`);
    expect(changes.removed.every((removed) => !removed.stateful)).toBe(true);
  });

  it("ties generated resources to their SAM parent and graph node", () => {
    const { input, output } = corpus("function_with_deployment_preference");
    const graph = buildGraph(input);
    const role = [...output.resources.keys()].find((id) => id.endsWith("Role") && id !== "CodeDeployServiceRole");
    expect(role).toBeDefined();
    const match = matchDeployed(role as string, input);
    expect(match.templateId).toBeNull();
    expect(match.generatedBy && input.resources.has(match.generatedBy)).toBe(true);
    expect(graphNodeOf(match, role as string, graph)).toBe(match.generatedBy);
    expect(matchDeployed("ServerlessDeploymentApplication", input).generatedBy).toBe(SAM_TRANSFORM);
  });

  it("matches a layer's hashed logical ID to the layer", () => {
    const template = parse(
      "Transform: AWS::Serverless-2016-10-31\nResources:\n  Deps:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: s3://b/k\n",
    );
    expect(matchDeployed("Deps0a1b2c3d4e", template)).toEqual({ templateId: "Deps", generatedBy: null });
    const changes = computeChanges(template, [{ logicalId: "Deps0a1b2c3d4e", physicalId: "arn", type: "AWS::Lambda::LayerVersion", status: null, drift: null }], null);
    expect(changes.added).toEqual([]);
  });

  it("reports a removed table or bucket whose ID starts with a SAM resource's ID: SAM never generates those", () => {
    const template = parse(
      "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: s3://b/k\n",
    );
    const deployed = [
      { logicalId: "Orders", type: "AWS::Lambda::Function" },
      { logicalId: "OrdersRole", type: "AWS::IAM::Role" },
      { logicalId: "OrdersTable", type: "AWS::DynamoDB::Table" },
      { logicalId: "OrdersBucket", type: "AWS::S3::Bucket" },
    ].map((r) => ({ ...r, physicalId: r.logicalId.toLowerCase(), status: null, drift: null }));
    expect(matchDeployed("OrdersTable", template, "AWS::DynamoDB::Table")).toEqual({ templateId: null, generatedBy: null });
    // A queue SAM did not make (the function has no event or destination that would) is the user's.
    expect(matchDeployed("OrdersDLQ", template, "AWS::SQS::Queue")).toEqual({ templateId: null, generatedBy: null });
    expect(matchDeployed("OrdersEventInvokeConfigOnSuccessQueue", template, "AWS::SQS::Queue")).toEqual({ templateId: null, generatedBy: "Orders" });
    expect(matchDeployed("OrdersRole", template, "AWS::IAM::Role")).toEqual({ templateId: null, generatedBy: "Orders" });
    const removed = computeChanges(template, deployed, null).removed;
    expect(removed.map((r) => [r.logicalId, r.stateful])).toEqual([
      ["OrdersBucket", true],
      ["OrdersTable", true],
    ]);
  });

  it("does not treat prefixes as generated resources in plain CloudFormation", () => {
    const template = parse("Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n");
    expect(matchDeployed("OrdersArchive", template)).toEqual({ templateId: null, generatedBy: null });
  });
});

describe("computeChanges", () => {
  const head = parse(
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Conditions:",
      "  IsProd: !Equals [!Ref AWS::AccountId, '111111111111']",
      "Resources:",
      "  Api:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      FunctionName: api-v2",
      "      Handler: index.handler",
      "      Runtime: python3.12",
      "      CodeUri: s3://b/k",
      "  ProdOnlyBucket:",
      "    Type: AWS::S3::Bucket",
      "    Condition: IsProd",
      "  Store:",
      "    Type: AWS::S3::Bucket",
      "  Link:",
      "    Type: AWS::Serverless::Connector",
      "    Properties:",
      "      Source: {Id: Api}",
      "      Destination: {Id: Store}",
      "      Permissions: [Read]",
      "",
    ].join("\n"),
  );
  const deployed: DeployedResource[] = [
    { logicalId: "Api", physicalId: "api-v1", type: "AWS::Lambda::Function", status: null, drift: null },
    { logicalId: "ApiRole", physicalId: "role", type: "AWS::IAM::Role", status: null, drift: null },
    { logicalId: "Store", physicalId: "store", type: "AWS::SQS::Queue", status: null, drift: null },
    { logicalId: "Logs", physicalId: "/aws/x", type: "AWS::Logs::LogGroup", status: null, drift: null },
    { logicalId: "Kept", physicalId: "kept", type: "AWS::DynamoDB::Table", status: null, drift: null },
  ];
  const deployedTemplate = parse(
    JSON.stringify({
      Resources: {
        Api: { Type: "AWS::Lambda::Function", Properties: { FunctionName: "api-v1" } },
        ProdOnlyBucket: { Type: "AWS::S3::Bucket", Condition: "IsProd" },
        Store: { Type: "AWS::SQS::Queue" },
        Logs: { Type: "AWS::Logs::LogGroup" },
        Kept: { Type: "AWS::DynamoDB::Table", DeletionPolicy: "Retain" },
      },
    }),
    "deployed.json",
  );

  it("finds additions, deletions, retained data and replacements", () => {
    const changes = computeChanges(head, deployed, deployedTemplate);
    // The conditional bucket is declared in the deployed template too: its condition is false, it is not new.
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([
      { logicalId: "Kept", type: "AWS::DynamoDB::Table", stateful: true, retained: true },
      { logicalId: "Logs", type: "AWS::Logs::LogGroup", stateful: true, retained: false },
    ]);
    expect(changes.replaced).toEqual(["Api", "Store"]);
    expect(changes.replacedBecause["Api"]).toMatch(/FunctionName/);
    expect(changes.replacedBecause["Store"]).toMatch(/AWS::SQS::Queue to AWS::S3::Bucket/);
  });

  it("without the deployed template, compares types only and lists conditional resources as added", () => {
    const changes = computeChanges(head, deployed, null);
    expect(changes.added).toEqual(["ProdOnlyBucket"]);
    expect(changes.replaced).toEqual(["Store"]);
    expect(changes.removed.map((removed) => removed.retained)).toEqual([false, false]);
  });

  it("survives properties of unexpected shapes", () => {
    const odd = parse("Resources:\n  Api:\n    Type: AWS::Lambda::Function\n    Properties: not-a-map\n");
    const weird = parse(JSON.stringify({ Resources: { Api: { Type: "AWS::Lambda::Function", Properties: { FunctionName: { "Fn::Sub": "${AWS::StackName}-api" } } } } }), "d.json");
    expect(() => computeChanges(odd, [deployed[0] as DeployedResource], weird)).not.toThrow();
  });

  it("compares values regardless of key order", () => {
    expect(canonical({ a: 1, b: [1, { c: null, d: "x" }] })).toBe(canonical({ b: [1, { d: "x", c: null }], a: 1 }));
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: "1" }));
  });
});
