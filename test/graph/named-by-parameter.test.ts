import { describe, expect, it } from "vitest";
import { corpusGraph, edgeList, graphOf } from "../support/graph.js";

describe("a parameter that names a resource stands for it", () => {
  it("resolves a policy template's StreamName: !Ref Param to the stream named by that parameter", () => {
    const { graph } = corpusGraph("serverless-patterns/lambda-kinesis-lambda-js__template.yaml");
    expect(edgeList(graph, "read", "write")).toEqual([
      "ConsumerFunction -read-> KinesisStream",
      "ProducerFunction -read-> KinesisStream",
      "ProducerFunction -write-> KinesisStream",
    ]);
    expect(graph.nodes.some((n) => n.id === "KinesisStreamName")).toBe(false);
  });

  it("does the same for a table named by a parameter", () => {
    const { graph } = corpusGraph("serverless-patterns/apigw-lambda-dynamodb-stream-lambda__template.yaml");
    expect(graph.edges.some((e) => e.to === "DynamoDBTableName")).toBe(false);
    expect(edgeList(graph, "read", "write").some((e) => e.endsWith("-> DynamoDBTable"))).toBe(true);
  });

  it("keeps a parameter that names two resources (or none) as an external node", () => {
    const graph = graphOf(`
Transform: AWS::Serverless-2016-10-31
Parameters:
  Name: { Type: String }
Resources:
  A: { Type: AWS::SQS::Queue, Properties: { QueueName: !Ref Name } }
  B: { Type: AWS::SNS::Topic, Properties: { TopicName: !Ref Name } }
  F:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [{ SQSSendMessagePolicy: { QueueName: !Ref Name } }]
`);
    expect(edgeList(graph, "write")).toEqual(["F -write-> Name"]);
  });
});
