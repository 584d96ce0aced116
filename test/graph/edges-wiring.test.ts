import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../support/corpus.js";
import { edgeList, graphOf, graphOfFile } from "../support/graph.js";


describe("connectors", () => {
  it("embedded connectors: topic writes to a queue and triggers a function", () => {
    const graph = graphOfFile(corpusPath("sam-translator/input/embedded_connectors_sns_to.yaml"));
    expect(edgeList(graph, "write")).toEqual(["MySNSTopic -write-> MyQueue"]);
    expect(edgeList(graph, "trigger")).toContain("MySNSTopic -trigger-> MyFunction");
  });

  it("AWS::Serverless::Connector: Read/Write from a function, invoke between state machines", () => {
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/connector_function_to_s3.yaml")), "read", "write")).toEqual([
      "MyFunction -read-> MyBucket",
      "MyFunction -write-> MyBucket",
    ]);
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/connector_sfn_to_function.yaml")), "invoke")).toContain("MyStateMachine -invoke-> MyFunction");
  });

  it("a table stream connector to a function: the function reads the table", () => {
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/connector_table_to_function.yaml")), "read", "write")).toEqual(["MyFunction -read-> MyTable"]);
  });

  it("endpoints given by Arn/Type and RoleName", () => {
    const found = edgeList(graphOfFile(corpusPath("sam-translator/input/connector_with_non_id_source_and_destination.yaml")), "read", "invoke");
    expect(found).toEqual(expect.arrayContaining(["SamFunction -read-> SamTable", "SamStateMachine -invoke-> SamFunction"]));
  });
});

describe("state machine definitions", () => {
  it("DefinitionSubstitutions name the functions a definition file invokes", () => {
    const graph = graphOfFile(corpusPath("serverless-patterns/sfn-lambda-lambda__template.yaml"));
    expect(edgeList(graph, "invoke")).toEqual([
      "StateMachineStandardInvokeLambda -invoke-> FirstFunction",
      "StateMachineStandardInvokeLambda -invoke-> SecondFunction",
    ]);
  });

  it("inline Definition: lambda:invoke, startExecution and service integrations", () => {
    const text = readFileSync(corpusPath("sam-translator/input/state_machine_with_sam_policy_templates.yaml"), "utf8");
    // Without the Policies, the edges come from the definition alone.
    const graph = graphOf(text.replace(/\n {6}Policies:\n(?: {8}.*\n)+/g, "\n"), "definition-only.yaml");
    expect(edgeList(graph, "invoke", "read", "write")).toEqual([
      "NestedWorkflow -invoke-> StarterLambda",
      "ProcessingWorkflow -invoke-> NestedWorkflow",
      "ProcessingWorkflow -invoke-> ResolverLambda",
      "ProcessingWorkflow -invoke-> StarterLambda",
      "ProcessingWorkflow -write-> OutputStore",
      "ProcessingWorkflow -write-> ProcessingQueue",
    ]);
  });

  it("DefinitionString with Fn::Sub and Fn::Join", () => {
    const text = `
Resources:
  F: {Type: AWS::Lambda::Function}
  T: {Type: AWS::DynamoDB::Table}
  Q: {Type: AWS::SQS::Queue}
  A:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub '{"StartAt":"x","States":{"x":{"Type":"Task","Resource":"\${F.Arn}","Next":"y"},"y":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Parameters":{"TableName":"\${T}"},"End":true}}}'
  B:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Join ["", ['{"StartAt":"x","States":{"x":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"', !Ref Q, '"},"End":true}}}']]
  C:
    Type: AWS::StepFunctions::StateMachine
    Properties: {DefinitionString: "{not json", DefinitionSubstitutions: 5}
`;
    expect(edgeList(graphOf(text, "sfn.yaml"), "invoke", "read", "write")).toEqual(["A -invoke-> F", "A -read-> T", "B -write-> Q"]);
  });
});

describe("destinations", () => {
  it("SAM EventInvokeConfig: generated queue on success, parameter topic on failure", () => {
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/function_with_event_dest_basic.yaml")), "destination")).toEqual([
      "MyTestFunction -destination-> MyTestFunctionEventInvokeConfigOnSuccessQueue",
      "MyTestFunction -destination-> SNSArn",
    ]);
  });

  it("the translated AWS::Lambda::EventInvokeConfig gives the same success destination", () => {
    expect(edgeList(graphOfFile(corpusPath("sam-translator/output/function_with_event_dest_basic.json")), "destination")).toContain(
      "MyTestFunction -destination-> MyTestFunctionEventInvokeConfigOnSuccessQueue",
    );
  });

  it("SQS RedrivePolicy: queue -> DLQ", () => {
    expect(edgeList(graphOfFile(corpusPath("serverless-patterns/apigw-sqs-lambda-ddb__template.yaml")), "destination")).toEqual([
      "BufferingQueue -destination-> DeadLetterQueue",
    ]);
  });

  it("SAM event DeadLetterConfig: the event's rule -> the generated or named DLQ", () => {
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/eventbridgerule_with_dlq.yaml")), "destination")).toContain(
      "ScheduledFunctionSchedule -destination-> ScheduledFunctionScheduleQueue",
    );
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/state_machine_with_eb_dlq_generated.yaml")), "destination")).toEqual([
      "StateMachineCWEvent -destination-> TestDLQ",
    ]);
  });

  it("DeadLetterQueue, event source mapping OnFailure and rule target DLQ", () => {
    const text = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Q: {Type: AWS::SQS::Queue}
  D: {Type: AWS::SQS::Queue}
  S: {Type: AWS::Kinesis::Stream}
  F:
    Type: AWS::Serverless::Function
    Properties:
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt D.Arn}
      Events:
        K: {Type: Kinesis, Properties: {Stream: !GetAtt S.Arn, DestinationConfig: {OnFailure: {Destination: !GetAtt Q.Arn}}}}
  R:
    Type: AWS::Events::Rule
    Properties: {Targets: [{Id: x, Arn: !GetAtt F.Arn, DeadLetterConfig: {Arn: !GetAtt D.Arn}}, 7, null]}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref F, DestinationConfig: "bad"}
  Bad:
    Type: AWS::SQS::Queue
    Properties: {RedrivePolicy: "{not json"}
`;
    expect(edgeList(graphOf(text, "dest.yaml"), "destination")).toEqual(["F -destination-> D", "F -destination-> Q", "R -destination-> D"]);
  });
});

describe("hooks, alarms and references", () => {
  it("seed: both functions are deployed with the PreTraffic hook", () => {
    const graph = graphOfFile(corpusPath("seed/evolutionary-template.yaml"));
    expect(edgeList(graph, "hook")).toEqual(["myFirstFunction -hook-> preTrafficHook", "mySecondFunction -hook-> preTrafficHook"]);
    expect(graph.edges.find((e) => e.kind === "hook")?.label).toBe("PreTraffic");
  });

  it("SAM DeploymentPreference and its translated alias UpdatePolicy agree", () => {
    const expected = [
      "MinimalFunction -hook-> MySanityTestFunction",
      "MinimalFunction -hook-> MyValidationTestFunction",
      "MinimalFunction -reference-> MyCloudWatchAlarm",
    ];
    expect(edgeList(graphOfFile(corpusPath("sam-translator/input/function_with_deployment_preference_all_parameters.yaml")), "hook", "reference")).toEqual(expected);
    expect(edgeList(graphOfFile(corpusPath("sam-translator/output/function_with_deployment_preference_all_parameters.json")), "hook", "reference")).toEqual(expected);
  });

  it("environment variables and layers; no reference where a stronger edge exists", () => {
    const text = `
Transform: AWS::Serverless-2016-10-31
Parameters: {Stage: {Type: String}}
Resources:
  T: {Type: AWS::DynamoDB::Table}
  B: {Type: AWS::S3::Bucket}
  L: {Type: AWS::Serverless::LayerVersion}
  F:
    Type: AWS::Serverless::Function
    Properties:
      Layers: [!Ref L, "arn:aws:lambda:us-east-1:1:layer:x:1"]
      Environment: {Variables: {TABLE: !Ref T, BUCKET: !Sub "\${B}", STAGE: !Ref Stage, N: 3, X: null}}
      Policies: [{DynamoDBReadPolicy: {TableName: !Ref T}}]
`;
    const graph = graphOf(text, "refs.yaml");
    expect(edgeList(graph, "reference")).toEqual(["F -reference-> B", "F -reference-> L"]);
    expect(graph.nodes.some((n) => n.id === "Stage")).toBe(false);
  });
});
