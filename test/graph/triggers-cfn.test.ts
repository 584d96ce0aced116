import { describe, expect, it } from "vitest";
import type { EventGraph } from "../../src/graph/index.js";
import { graphOf, corpusGraph, edge, expectEdgeAt } from "../support/graph.js";

const OUTPUT = "sam-translator/output/";
const PATTERNS = "serverless-patterns/";

function triggersInto(graph: EventGraph, to: string): string[] {
  return graph.edges
    .filter((e) => e.kind === "trigger" && e.to === to)
    .map((e) => e.from)
    .sort();
}

describe("CloudFormation wiring: helper resources become edges", () => {
  it("EventSourceMapping: a DynamoDB stream ARN (!GetAtt Table.StreamArn) is the table", () => {
    expectEdgeAt(`${OUTPUT}function_with_event_source_mapping.json`, "DynamoDBTable", "MyFunctionForBatchingExample", "trigger", 83, '"EventSourceArn"');
    const { graph } = corpusGraph(`${OUTPUT}function_with_event_source_mapping.json`);
    expect(triggersInto(graph, "MyFunctionForBatchingExample")).toEqual(["DynamoDBTable", "KinesisStream", "KinesisStream1"]);
    // Helper resources are not nodes.
    expect(graph.nodes.some((n) => n.type === "AWS::Lambda::EventSourceMapping" || n.type === "AWS::Lambda::Permission")).toBe(false);
  });

  it("EventSourceMapping on a function alias is the function; SNS subscription topic -> queue", () => {
    const file = `${OUTPUT}sns_sqs.json`;
    expectEdgeAt(file, "SaveNotificationFunctionNotificationTopicQueue", "SaveNotificationFunction", "trigger", 62, '"EventSourceArn"');
    expectEdgeAt(file, "Notifications", "SaveNotificationFunctionNotificationTopicQueue", "trigger", 31, '"Endpoint"');
  });

  it("S3 NotificationConfiguration: LambdaConfigurations, QueueConfigurations, TopicConfigurations", () => {
    expectEdgeAt(`${OUTPUT}s3.json`, "Images", "ThumbnailFunction", "trigger", 12, '"Function"');
    expectEdgeAt(`${PATTERNS}s3-sqs-lambda__template.yaml`, "SourceBucket", "ResizerQueue", "trigger", 24, "Queue:");
    expectEdgeAt(`${PATTERNS}s3-sns__template.yaml`, "SourceBucket", "SNSTopic", "trigger", 20, "Topic:");
  });

  it("Lambda permissions: the principal's source (log group parameter, IoT rule via Fn::Sub local, Alexa skill token)", () => {
    // The subscription filter wires the log group; its permission names the same parameter.
    expectEdgeAt(`${OUTPUT}cloudwatch_logs_with_ref.json`, "LogGroupName", "TriggeredFunction", "trigger", 44, '"DestinationArn"');
    // The topic rule's action and its permission (rule named through a Fn::Sub local) give one edge.
    expectEdgeAt(`${OUTPUT}iot_rule.json`, "IoTRuleFuncMyIoTRule", "IoTRuleFunc", "trigger", 37, '"FunctionArn"');
    expectEdgeAt(`${OUTPUT}alexa_skill_with_skill_id.json`, "alexa-skill:amzn1.ask.skill.12345678-1234-1234-1234-123456789", "AlexaSkillFunc", "trigger", 34, '"EventSourceToken"');
  });

  it("a permission alone (no wiring resource) still says who calls the function", () => {
    const graph = graphOf(`
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  ApiPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Fn.Arn
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/*/GET/items
  AuthPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/authorizers/*
  TopicPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
      SourceArn: arn:aws:sns:us-east-1:123456789012:orders
  Logs:
    Type: AWS::Logs::LogGroup
  LogsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: logs.amazonaws.com
      SourceArn: !Sub ["arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${Name}:*", {Name: !Ref Logs}]
  UrlPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunctionUrl
      Principal: "*"
      FunctionUrlAuthType: NONE
`);
    expect(edge(graph, "Api", "Fn").line).toBe(15);
    expect(edge(graph, "Api", "Fn", "invoke").line).toBe(22);
    expect(edge(graph, "arn:aws:sns:us-east-1:123456789012:orders", "Fn").line).toBe(29);
    expect(edge(graph, "Logs", "Fn").line).toBe(38);
    expect(triggersInto(graph, "Fn")).toEqual(["Api", "Logs", "arn:aws:sns:us-east-1:123456789012:orders"]);
  });

  it("SNS::Topic inline Subscription: topic -> function and queue; email subscribers are left out", () => {
    const file = `${PATTERNS}s3-sns-sqs-lambda-sam-java__template.yml`;
    expectEdgeAt(file, "AuditSNSTopic", "FileAudit", "trigger", 45, "Endpoint:");
    expectEdgeAt(file, "AuditSNSTopic", "AuditQueue", "trigger", 47, "Endpoint:");
    expectEdgeAt(file, "S3FileBucket", "AuditSNSTopic", "trigger", 31, "Topic:");
    const email = corpusGraph(`${PATTERNS}cloudtrail-eventbridge-lambda-dynamodb-sam__template.yaml`).graph;
    expect(email.edges.filter((e) => e.from === "SNSTopic")).toEqual([]);
  });

  it("SNS::Subscription and IoT topic rule actions: rule -> topic -> queue", () => {
    const file = `${PATTERNS}iot-sns-sqs-sam__template.yaml`;
    expectEdgeAt(file, "IotSnsSqsCfnTopic", "IotSnsSqsCfnQueue", "trigger", 18, "Endpoint:");
    expectEdgeAt(file, "IotSnsSqsCfnRule", "IotSnsSqsCfnTopic", "trigger", 45, "TargetArn:");
  });

  it("IoT topic rule actions that store data are write edges", () => {
    expectEdgeAt(`${PATTERNS}iot-dynamodb__template.yaml`, "IoTToDDBRule", "IoTExampleTableOne", "write", 79, "TableName:");
    expectEdgeAt(`${PATTERNS}iot-dynamodb__template.yaml`, "IoTToDDBv2Rule", "IoTExampleTableTwo", "write", 92, "TableName:");
  });

  it("Events::Rule: template bus -> rule -> target", () => {
    const file = `${PATTERNS}apigw-rest-api-eventbridge-sqs-sam__template.yml`;
    expectEdgeAt(file, "MyBus", "QueueRule", "trigger", 158, "EventBusName:");
    expectEdgeAt(file, "QueueRule", "Queue", "trigger", 167, "Arn:");
  });

  it("Events::Rule targets in the translated output match the SAM events (state machine with Fn::If paths)", () => {
    const file = `${OUTPUT}state_machine_with_condition_and_events.json`;
    expectEdgeAt(file, "StateMachineCWEvent", "StateMachine", "trigger", 145, '"Arn"');
  });

  it("Scheduler::Schedule: schedule -> target", () => {
    const e = expectEdgeAt(`${PATTERNS}eventbridge-schedule-to-lambda__template.yaml`, "MyFirstSchedule", "ScheduledLambdaFunction", "trigger", 38, "Arn:");
    expect(e.label).toBe("schedule rate(5 minute)");
  });

  it("Pipes::Pipe: source -> pipe -> target, enrichment as invoke", () => {
    const file = `${PATTERNS}eventbridge-pipes-ddb-stream-lambda-sfn-enrich__template.yaml`;
    expectEdgeAt(file, "DynamoDBSampleTable", "Pipe", "trigger", 139, "Source:");
    expectEdgeAt(file, "Pipe", "Target", "trigger", 150, "Target:");
    expectEdgeAt(file, "Pipe", "EnrichmentStateMachine", "invoke", 147, "Enrichment:");
  });

  it("Logs::SubscriptionFilter: log group -> destination", () => {
    expectEdgeAt(`${PATTERNS}cloudwatch-logs-subscription-lambda-sam__template.yaml`, "LogsGeneratorLogGroup", "LogsSubscriberFunction", "trigger", 42, "DestinationArn:");
  });

  it("Cognito::UserPool LambdaConfig: user pool -> trigger function (nested sender config too)", () => {
    const e = expectEdgeAt(`${PATTERNS}cognito-sns-sms-origination-id-sam__template.yaml`, "CognitoUserPool", "CustomSmsSenderLambda", "trigger", 70, "CustomSMSSender:");
    expect(e.label).toContain("Cognito CustomSMSSender");
  });
});

describe("CloudFormation wiring: malformed values never throw", () => {
  it("skips unreadable wiring and keeps the rest", () => {
    const graph = graphOf(`
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Handler: index.handler, Runtime: nodejs20.x, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
  Q:
    Type: AWS::SQS::Queue
  M1:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: 42, FunctionName: null}
  M2:
    Type: AWS::Lambda::EventSourceMapping
    Properties: "oops"
  M3:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {SelfManagedEventSource: {Endpoints: "x"}, FunctionName: !Ref Fn}
  B:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations: "none"
        QueueConfigurations: [null, 3, {Queue: [1, 2]}, {Queue: !GetAtt Q.Arn}]
  R:
    Type: AWS::Events::Rule
    Properties: {Targets: {Arn: 1}, EventBusName: [x]}
  S:
    Type: AWS::Scheduler::Schedule
    Properties: {Target: [1]}
  P:
    Type: AWS::Pipes::Pipe
    Properties: {Source: null, Target: {Ref: Nope}}
  T:
    Type: AWS::IoT::TopicRule
    Properties: {TopicRulePayload: {Actions: [{Lambda: "x"}, null, {DynamoDBv2: {PutItem: 1}}]}}
  U:
    Type: AWS::Cognito::UserPool
    Properties: {LambdaConfig: {PreSignUp: null, CustomSMSSender: {LambdaArn: 5}, KMSKeyID: !GetAtt Fn.Arn}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Fn, Principal: {Service: x}, SourceArn: 1}
  Perm2:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com, SourceArn: {"Fn::Sub": 3}}
  Sub:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: {"Fn::GetAtt": []}, Endpoint: {}}
`);
    expect(graph.edges.filter((e) => e.kind === "trigger").map((e) => `${e.from} -> ${e.to}`)).toEqual(["kafka:self-managed -> Fn", "B -> Q"]);
  });
});
