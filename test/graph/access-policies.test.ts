import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../support/corpus.js";
import { edgeList, graphOf, graphOfFile } from "../support/graph.js";
import { classifyAction } from "../../src/graph/extract/access/actions.js";
import { renderPolicyTemplates } from "../../src/graph/extract/access/policy-template-codegen.js";


describe("policy template table", () => {
  it("is up to date with the corpus policy_templates.json", () => {
    const json = JSON.parse(readFileSync(corpusPath("sam-translator/policy_templates.json"), "utf8")) as unknown;
    const committed = readFileSync(fileURLToPath(new URL("../../src/graph/policy-templates.generated.ts", import.meta.url)), "utf8");
    expect(committed).toBe(renderPolicyTemplates(json));
  });
});

describe("IAM action classifier", () => {
  it.each([
    ["dynamodb:GetItem", ["read"]],
    ["dynamodb:BatchWriteItem", ["write"]],
    ["dynamodb:DescribeTable", ["read"]],
    ["s3:GetEncryptionConfiguration", ["read"]],
    ["sqs:SendMessage*", ["write"]],
    ["sqs:DeleteMessage", ["read"]],
    ["lambda:InvokeFunction", ["invoke"]],
    ["states:StartExecution", ["invoke"]],
    ["codecommit:GitPush", ["write"]],
    ["es:ESHttpPost", ["write"]],
    ["kms:Decrypt", ["read"]],
    ["s3:*", ["read", "write", "invoke"]],
    ["sts:AssumeRole", []],
  ])("%s -> %j", (action, expected) => {
    expect([...classifyAction(action)]).toEqual(expected);
  });
});

describe("read/write/invoke edges from permissions", () => {
  it("seed: inline statements of the hook function read the buckets and tables", () => {
    const graph = graphOfFile(corpusPath("seed/evolutionary-template.yaml"));
    expect(edgeList(graph, "read", "write")).toEqual([
      "preTrafficHook -read-> encryptedBucket",
      "preTrafficHook -read-> encryptedTable",
      "preTrafficHook -read-> unencryptedBucket",
      "preTrafficHook -read-> unencryptedTable",
    ]);
    expect(edgeList(graph, "invoke")).toEqual(["preTrafficHook -invoke-> myFirstFunction", "preTrafficHook -invoke-> mySecondFunction"]);
    // The CodeDeploy permission names deployment plumbing, not a node of the architecture.
    expect(graph.nodes.some((n) => n.id.includes("codedeploy"))).toBe(false);
  });

  it("SAM policy templates: the parameter value names the resource", () => {
    const graph = graphOfFile(corpusPath("sam-translator/input/connector_sqs_to_function.yaml"));
    expect(edgeList(graph, "read", "write")).toEqual([
      "InvokedFunction -read-> Queue", // connector (queue polled by the function)
      "InvokedFunction -write-> VerificationQueue", // SQSSendMessagePolicy
      "TriggerFunction -read-> VerificationQueue", // SQSPollerPolicy
      "TriggerFunction -write-> Queue", // SQSSendMessagePolicy with !GetAtt Q.QueueName
    ]);
  });

  it("state machine policy templates and their translated IAM policies agree", () => {
    const sam = graphOfFile(corpusPath("sam-translator/input/state_machine_with_sam_policy_templates.yaml"));
    const cfn = graphOfFile(corpusPath("sam-translator/output/state_machine_with_sam_policy_templates.json"));
    const expected = [
      "ProcessingWorkflow -invoke-> NestedWorkflow",
      "ProcessingWorkflow -invoke-> ResolverLambda",
      "ProcessingWorkflow -invoke-> StarterLambda",
      "ProcessingWorkflow -write-> OutputStore",
      "ProcessingWorkflow -write-> ProcessingQueue",
    ];
    expect(edgeList(sam, "read", "write", "invoke").filter((e) => e.startsWith("Processing"))).toEqual(expected);
    expect(edgeList(cfn, "read", "write", "invoke").filter((e) => e.startsWith("Processing"))).toEqual(expected);
  });

  it("plain CloudFormation: managed policies attached to a function's role", () => {
    const graph = graphOfFile(corpusPath("sam-translator/output/connector_function_to_table.json"));
    expect(edgeList(graph, "read", "write")).toEqual([
      "MyFunction -read-> MyTable",
      "MyFunction -write-> MyTable",
      "MyServerlessFunction -read-> MyTable",
    ]);
  });

  it("inline SAM statements: wildcard actions and Sub ARNs, a queue DLQ and a secret", () => {
    const graph = graphOfFile(corpusPath("serverless-patterns/apigw-sqs-lambda-ddb__template.yaml"));
    const found = edgeList(graph, "read", "write");
    expect(found).toEqual(
      expect.arrayContaining([
        "SqsHandlerFunction -read-> EventTable",
        "SqsHandlerFunction -write-> EventTable",
        "SqsHandlerFunction -read-> BufferingQueue",
        "SqsHandlerFunction -write-> DeadLetterQueue",
        "GatewayAuthorizerFunction -read-> BasicAuthUsername",
      ]),
    );
    expect(found).not.toContain("SqsHandlerFunction -write-> BufferingQueue");
  });

  it("malformed policies never throw", () => {
    const text = `
Transform: AWS::Serverless-2016-10-31
Resources:
  T: {Type: AWS::DynamoDB::Table}
  F:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy: "not a map"
        - DynamoDBReadPolicy: {TableName: null}
        - S3ReadPolicy: {BucketName: !GetAtt [T]}
        - Statement: "nope"
        - Statement: [null, 3, {Effect: Allow, Action: [!Ref X, 7], Resource: {"Fn::Sub": 5}}]
        - !If [C, {Statement: [{Effect: Allow, Action: "dynamodb:PutItem", Resource: !GetAtt T.Arn}]}, !Ref AWS::NoValue]
        - null
  R:
    Type: AWS::IAM::Role
    Properties: {Policies: "x", ManagedPolicyArns: [!Ref R]}
  P:
    Type: AWS::IAM::Policy
    Properties: {Roles: 5, PolicyDocument: []}
`;
    const graph = graphOf(text, "inline.yaml");
    expect(edgeList(graph, "read", "write")).toEqual(["F -read-> T", "F -write-> T"]);
  });
});

describe("inline statements on ARNs passed as parameters", () => {
  it("a parameter that starts the ARN (Join or Sub, followed by a path) is the resource; one inside it is only a name part", () => {
    const g = graphOf(`Transform: AWS::Serverless-2016-10-31
Parameters:
  DataBucketArn: { Type: String }
  TableArn: { Type: String }
  QueueName: { Type: String }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.b
      CodeUri: s3://b/k
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Join ["", [!Ref DataBucketArn, "/*"]]
            - Effect: Allow
              Action: dynamodb:Query
              Resource: !Sub "\${TableArn}/index/*"
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !Sub "arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${QueueName}"
`);
    const edges = g.edges.filter((e) => e.from === "Fn").map((e) => `${e.kind} ${e.to}`);
    expect(edges).toContain("read DataBucketArn");
    expect(edges).toContain("read TableArn");
    expect(edges).not.toContain("write QueueName");
  });
});
