import { describe, expect, it } from "vitest";
import type { EventGraph, GraphEdge } from "../../src/graph/index.js";
import { graphOf, corpusGraph, edge } from "../support/graph.js";

const INPUT = "sam-translator/input/";

function triggers(graph: EventGraph): string[] {
  return graph.edges
    .filter((e) => e.kind === "trigger")
    .map((e) => `${e.from} -> ${e.to}`)
    .sort();
}

/** The edge exists and its line is where the SAM event of that name is declared. */
function expectEventEdge(file: string, from: string, to: string, event: string, line: number): GraphEdge {
  const { graph, lines } = corpusGraph(file);
  const found = edge(graph, from, to);
  expect(found.line).toBe(line);
  expect(lines[line - 1]?.trim()).toBe(`${event}:`);
  return found;
}

describe("SAM events: one edge per event, on the event's line", () => {
  it("S3: bucket -> function", () => {
    const e = expectEventEdge(`${INPUT}s3.yaml`, "Images", "ThumbnailFunction", "ImageBucket", 9);
    expect(e.label).toBe("ImageBucket (S3)");
  });

  it("SNS with SqsSubscription: topic -> SAM's generated queue -> function", () => {
    const { graph } = corpusGraph(`${INPUT}sns_sqs.yaml`);
    expect(triggers(graph)).toEqual([
      "Notifications -> SaveNotificationFunctionNotificationTopicQueue",
      "SaveNotificationFunctionNotificationTopicQueue -> SaveNotificationFunction",
    ]);
    const queue = graph.nodes.find((n) => n.id === "SaveNotificationFunctionNotificationTopicQueue");
    expect(queue).toMatchObject({ type: "AWS::SQS::Queue", kind: "queue", implicit: true });
  });

  it("SQS with a queue ARN: an external queue node", () => {
    const { graph } = corpusGraph(`${INPUT}sqs.yaml`);
    const arn = "arn:aws:sqs:us-west-2:012345678901:my-queue";
    expectEventEdge(`${INPUT}sqs.yaml`, arn, "SQSFunction", "MySqsQueue", 9);
    expect(graph.nodes.find((n) => n.id === arn)).toMatchObject({ kind: "external", service: "queue" });
  });

  it("Kinesis, MQ, MSK, DocumentDB: the stream, broker or cluster -> function", () => {
    expectEventEdge(`${INPUT}kinesis_intrinsics.yaml`, "MyStream", "MyLambdaFunction", "KinesisStream", 38);
    expectEventEdge(`${INPUT}function_with_mq.yaml`, "MyMqBroker", "MyLambdaFunction", "MyMqEvent", 146);
    expectEventEdge(
      `${INPUT}function_with_msk.yaml`,
      "arn:aws:kafka:${AWS::Region}:012345678901:cluster/mycluster/6cc0432b-8618-4f44-bccc-e1fbd8fb7c4d-2",
      "MyMskStreamProcessor",
      "MyMskEvent",
      12,
    );
    expectEventEdge(
      `${INPUT}function_with_documentdb.yaml`,
      "arn:${AWS::Partition}:rds:us-west-2:123456789012:cluster:sample-cluster",
      "DocumentDBFunction",
      "MyDocumentDBEvent",
      11,
    );
  });

  it("Kinesis with an ARN built by Fn::Join: an external stream node, not a lost event", () => {
    const g = graphOf(`Transform: AWS::Serverless-2016-10-31
Parameters:
  StreamName: { Type: String }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.b
      CodeUri: s3://b/k
      Events:
        Stream:
          Type: Kinesis
          Properties:
            StartingPosition: LATEST
            Stream: !Join [":", ["arn", !Ref AWS::Partition, "kinesis", !Ref AWS::Region, !Ref AWS::AccountId, !Sub "stream/\${StreamName}"]]
`);
    const stream = g.nodes.find((n) => n.kind === "external");
    expect(stream).toMatchObject({ id: 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:${{"Fn::Sub":"stream/${StreamName}"}}' });
    expect(g.edges).toEqual([expect.objectContaining({ from: stream?.id, to: "Fn", kind: "trigger", line: 12 })]);
  });

  it("Fn::Join ARNs on a real template: the MSK cluster built from parameters triggers the function", () => {
    const { graph } = corpusGraph("serverless-patterns/msk-lambda-iam-go-sam__template.yaml");
    const cluster = "arn:aws:kafka:${AWS::Region}:${AWS::AccountId}:cluster/${MSKClusterName}/${MSKClusterId}";
    expect(graph.nodes.find((n) => n.id === cluster)).toMatchObject({ kind: "external", line: 32 });
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: cluster, to: "HelloWorldGoKafkaFunction", kind: "trigger", line: 26 }));
  });

  it("Fn::Join ARNs: a parameter part is part of the name, and different expressions stay different queues", () => {
    const fn = (id: string, queue: string) =>
      `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n      CodeUri: s3://b/k\n      Events:\n        Q:\n          Type: SQS\n          Properties:\n            Queue: ${queue}\n`;
    const join = (last: string) => `!Join [":", ["arn", !Ref AWS::Partition, "sqs", !Ref AWS::Region, !Ref AWS::AccountId, ${last}]]`;
    const g = graphOf(
      `Transform: AWS::Serverless-2016-10-31\nParameters:\n  QueueName: { Type: String }\nMappings:\n  M: { a: { q: one }, b: { q: two } }\nResources:\n` +
        fn("Orders", join("!FindInMap [M, a, q]")) + fn("Payments", join("!FindInMap [M, b, q]")) + fn("Third", join("!Ref QueueName")),
    );
    const queues = g.nodes.filter((n) => n.kind === "external");
    expect(queues).toHaveLength(3);
    expect(queues.every((q) => q.service === "queue")).toBe(true);
    expect(new Set(g.edges.map((e) => `${e.from}>${e.to}`)).size).toBe(3);
  });

  it("SelfManagedKafka: the cluster is named by its bootstrap servers", () => {
    expectEventEdge(`${INPUT}function_with_self_managed_kafka.yaml`, "kafka:abc.xyz.com:9092,123.45.67.89:9096", "KafkaFunction", "MyKafkaCluster", 11);
  });

  it("AlexaSkill: an external skill node", () => {
    expectEventEdge(`${INPUT}alexa_skill_with_skill_id.yaml`, "alexa-skill:amzn1.ask.skill.12345678-1234-1234-1234-123456789", "AlexaSkillFunc", "AlexaSkillEvent", 13);
  });

  it("CloudWatchLogs: the log group parameter -> function", () => {
    expectEventEdge(`${INPUT}cloudwatch_logs_with_ref.yaml`, "LogGroupName", "TriggeredFunction", "CWLogEvent", 20);
  });

  it("Cognito: user pool -> function", () => {
    expectEventEdge(`${INPUT}cognito_user_pool_with_new_property_and_cognito_event.yaml`, "MyUserPool", "MyFunction", "CognitoEvent", 15);
  });

  it("IoTRule: the topic rule SAM generates, under SAM's logical ID", () => {
    const { graph } = corpusGraph(`${INPUT}iot_rule.yaml`);
    expect(triggers(graph)).toEqual(["IoTRuleFuncMyIoTRule -> IoTRuleFunc", "IoTRuleFuncMyOtherIoTRule -> IoTRuleFunc"]);
    expect(graph.nodes.find((n) => n.id === "IoTRuleFuncMyIoTRule")).toMatchObject({ type: "AWS::IoT::TopicRule", implicit: true });
    expectEventEdge(`${INPUT}iot_rule.yaml`, "IoTRuleFuncMyOtherIoTRule", "IoTRuleFunc", "MyOtherIoTRule", 18);
  });

  it("Schedule, CloudWatchEvent, EventBridgeRule, CloudWatchLogs, Api, S3, SNS, Kinesis, DynamoDB on one aliased function", () => {
    const file = `${INPUT}function_with_alias_and_event_sources.yaml`;
    expectEventEdge(file, "MyAwesomeFunctionEBSchedule", "MyAwesomeFunction", "EBSchedule", 19);
    expectEventEdge(file, "MyAwesomeFunctionCWEvent", "MyAwesomeFunction", "CWEvent", 24);
    expectEventEdge(file, "MyAwesomeFunctionEBRule", "MyAwesomeFunction", "EBRule", 32);
    expectEventEdge(file, "logs:MyLogGroup", "MyAwesomeFunction", "CWLog", 40);
    expectEventEdge(file, "GetHtmlApi", "MyAwesomeFunction", "ExplicitApi", 46);
    expectEventEdge(file, "ServerlessRestApi", "MyAwesomeFunction", "ImplicitApi", 54);
    expectEventEdge(file, "arn:aws:dynamodb:us-west-2:012345678901:table/TestTable/stream/2015-05-11T21:21:33.291", "MyAwesomeFunction", "DDBStream", 86);
    const { graph } = corpusGraph(file);
    expect(graph.nodes.find((n) => n.id === "MyAwesomeFunctionEBRule")).toMatchObject({ type: "AWS::Events::Rule", kind: "rule", implicit: true });
    expect(graph.nodes.find((n) => n.id === "ServerlessRestApi")).toMatchObject({ type: "AWS::ApiGateway::RestApi", kind: "api", implicit: true });
    expect(edge(graph, "ServerlessRestApi", "MyAwesomeFunction").label).toBe("ImplicitApi (Api POST /add)");
  });

  it("ScheduleV2: the EventBridge Scheduler schedule SAM generates", () => {
    const file = `${INPUT}function_with_event_schedule_state.yaml`;
    const e = expectEventEdge(file, "ScheduledFunctionScheduleV2", "ScheduledFunction", "ScheduleV2", 38);
    expect(e.label).toBe("ScheduleV2 (ScheduleV2 rate(1 minute))");
    const { graph } = corpusGraph(file);
    expect(graph.nodes.find((n) => n.id === "ScheduledFunctionScheduleV2")).toMatchObject({ type: "AWS::Scheduler::Schedule", kind: "schedule" });
  });

  it("HttpApi with ApiId: that API; several events on one route pair give one edge", () => {
    const { graph } = corpusGraph(`${INPUT}api_with_basic_custom_domain_http.yaml`);
    const e = edge(graph, "MyApi", "HttpApiFunction");
    expect(e.line).toBe(40);
    expect(graph.edges.filter((x) => x.from === "MyApi" && x.to === "HttpApiFunction" && x.kind === "trigger")).toHaveLength(1);
  });

  it("state machine events: an Api event on a state machine", () => {
    expectEventEdge(`${INPUT}state_machine_with_api_single.yaml`, "MyApi", "Post", "PostEcho", 29);
  });

  it("EventBridgeRule on a template bus: bus -> rule -> function", () => {
    const graph = graphOf(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        OnOrder:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref Bus
            Pattern: {source: [shop]}
        OnDefault:
          Type: EventBridgeRule
          Properties:
            EventBusName: default
            Pattern: {source: [other]}
`);
    expect(triggers(graph)).toEqual(["Bus -> FnOnOrder", "FnOnDefault -> Fn", "FnOnOrder -> Fn"]);
    expect(edge(graph, "Bus", "FnOnOrder").line).toBe(14);
  });
});

describe("SAM events: implicit APIs", () => {
  it("an event naming ServerlessRestApi / ServerlessHttpApi explicitly joins the implicit API", () => {
    const graph = graphOf(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Rest:
          Type: Api
          Properties: {RestApiId: !Ref ServerlessRestApi, Path: /a, Method: get}
        Http:
          Type: HttpApi
          Properties: {ApiId: !Ref ServerlessHttpApi}
`);
    expect(triggers(graph)).toEqual(["ServerlessHttpApi -> Fn", "ServerlessRestApi -> Fn"]);
    expect(graph.nodes.find((n) => n.id === "ServerlessHttpApi")).toMatchObject({ type: "AWS::ApiGatewayV2::Api", kind: "api", implicit: true });
  });
});

describe("SAM events: malformed values never throw", () => {
  it("skips what it cannot read and keeps the rest", () => {
    const text = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events: "oops"
  B:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        NoProps:
          Type: SQS
        NullEvent: null
        ListEvent: [1, 2]
        NumberQueue:
          Type: SQS
          Properties:
            Queue: 42
        NullQueue:
          Type: SQS
          Properties:
            Queue: null
        WeirdType:
          Type: {Ref: Queue}
          Properties: {Queue: !Ref Queue}
        Unknown:
          Type: CarrierPigeon
          Properties: {}
        BadApi:
          Type: Api
          Properties: "GET /"
        SnsNoTopic:
          Type: SNS
          Properties:
            SqsSubscription: {QueueArn: [1, {}]}
        KafkaNoServers:
          Type: SelfManagedKafka
          Properties:
            KafkaBootstrapServers: {Ref: Nope}
        Good:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
  C:
    Type: AWS::Serverless::StateMachine
    Properties:
      Events: [1, 2, 3]
  D:
    Type: AWS::Serverless::Function
    Properties: "not a map"
`;
    const graph = graphOf(text);
    expect(edge(graph, "Queue", "B").line).toBe(43);
    // An Api event with unreadable properties still belongs to the implicit API.
    expect(triggers(graph)).toEqual(["Queue -> B", "ServerlessRestApi -> B", "kafka:self-managed -> B"]);
  });
});
