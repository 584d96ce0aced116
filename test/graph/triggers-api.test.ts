import { describe, expect, it } from "vitest";
import type { EventGraph } from "../../src/graph/index.js";
import { graphOf, corpusGraph, edge, expectEdgeAt } from "../support/graph.js";

const INPUT = "sam-translator/input/";
const OUTPUT = "sam-translator/output/";
const PATTERNS = "serverless-patterns/";

function apiEdges(graph: EventGraph, api: string): string[] {
  return graph.edges
    .filter((e) => e.from === api)
    .map((e) => `${e.kind} ${e.to}`)
    .sort();
}

describe("API integrations", () => {
  it("DefinitionBody: Fn::Sub uris with ${Fn.Arn} give API -> function, labelled by route", () => {
    const file = `${INPUT}api_with_cors.yaml`;
    const e = expectEdgeAt(file, "ExplicitApi", "RestApiFunction", "trigger", 41, "uri:");
    expect(e.label).toBe("OpenAPI POST /add");
    expectEdgeAt(file, "ExplicitApi", "GetHtmlFunction", "trigger", 43, "uri:");
    expect(apiEdges(corpusGraph(file).graph, "ExplicitApi")).toEqual(["trigger GetHtmlFunction", "trigger RestApiFunction"]);
  });

  it("the translated implicit API: body integrations give the same edge as the SAM events", () => {
    const { graph } = corpusGraph(`${OUTPUT}api_with_cors.json`);
    expect(apiEdges(graph, "ServerlessRestApi")).toEqual(["trigger ImplicitApiFunction"]);
    expect(apiEdges(corpusGraph(`${INPUT}api_with_cors.yaml`).graph, "ServerlessRestApi")).toEqual(["trigger ImplicitApiFunction"]);
  });

  it("Step Functions integrations: the state machine named in the request template, also under Fn::If", () => {
    expectEdgeAt(`${OUTPUT}state_machine_with_api_single.json`, "MyApi", "Post", "trigger", 107, '"uri"');
    expectEdgeAt(`${OUTPUT}state_machine_with_condition_and_events.json`, "ServerlessRestApi", "StateMachine", "trigger", 60, '"uri"');
  });

  it("AWS::ApiGateway::Method: Lambda proxy -> trigger; SQS via Fn::Join uri -> read for ReceiveMessage", () => {
    expectEdgeAt(`${PATTERNS}apigw-api-key__template.yaml`, "AppApi", "AppFunction", "trigger", 31, "Uri:");
    const e = expectEdgeAt(`${PATTERNS}APIGateway-SQS-ReceiveMessages__template.yaml`, "AppApi", "MySqsQueue", "read", 41, "Uri:");
    expect(e.label).toBe("RootMethodGet (GET)");
  });

  it("HTTP API first-class integrations: SQS-SendMessage in a body, EventBridge-PutEvents on an Integration resource", () => {
    expectEdgeAt(`${PATTERNS}apigw-sqs-lambda-ddb__template.yaml`, "HttpApi", "BufferingQueue", "write", 26, "x-amazon-apigateway-integration:");
    expectEdgeAt(`${PATTERNS}apigw-eventbridge__template.yml`, "HttpApi", "ApplicationEventBus", "write", 90, "IntegrationSubtype:");
  });

  it("Lambda authorizers are invoke edges (SAM Auth.Authorizers, OpenAPI, GraphQL)", () => {
    expectEdgeAt(`${PATTERNS}apigw-sqs-lambda-ddb__template.yaml`, "HttpApi", "GatewayAuthorizerFunction", "invoke", 51, "FunctionArn:");
    // The SAM Auth.Authorizers entry and the OpenAPI authorizer the translator writes for it.
    expectEdgeAt(`${INPUT}api_http_paths_with_if_condition.yaml`, "MyApi", "MyAuthFn", "invoke", 32, "FunctionArn:");
    expectEdgeAt(`${OUTPUT}api_http_paths_with_if_condition.json`, "MyApi", "MyAuthFn", "invoke", 37, '"authorizerUri"');
    const file = `${INPUT}graphqlapi_multiple_auth.yaml`;
    expectEdgeAt(file, "SuperCoolAPI", "Authorizer1", "invoke", 14, "AuthorizerUri:");
    expectEdgeAt(file, "SuperCoolAPI", "Authorizer2", "invoke", 22, "AuthorizerUri:");
    expect(corpusGraph(file).graph.edges.some((e) => e.kind === "trigger" && e.to.startsWith("Authorizer"))).toBe(false);
  });

  it("WebSocket APIs: SAM routes and their translated V2 integrations agree", () => {
    const input = corpusGraph(`${INPUT}websocket_api_simple_app.yaml`).graph;
    const output = corpusGraph(`${OUTPUT}websocket_api_simple_app.json`).graph;
    const expected = ["trigger ConnectFunction", "trigger DefaultFunction", "trigger DisconnectFunction", "trigger SendFunction"];
    expect(apiEdges(input, "SimpleChatApi").filter((e) => e.startsWith("trigger"))).toEqual(expected);
    expect(apiEdges(output, "SimpleChatApi").filter((e) => e.startsWith("trigger"))).toEqual(expected);
    expectEdgeAt(`${INPUT}websocket_api_simple_app.yaml`, "SimpleChatApi", "ConnectFunction", "trigger", 191, "FunctionArn:");
    expectEdgeAt(`${OUTPUT}websocket_api_simple_app.json`, "SimpleChatApi", "ConnectFunction", "trigger", 276, '"IntegrationUri"');
  });

  it("a SAM event and the DefinitionBody describing the same route give one edge, on the event's line", () => {
    const graph = graphOf(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
          /orders:
            post:
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Join ["", ["arn:aws:apigateway:", !Ref "AWS::Region", ":sqs:path/", !Ref "AWS::AccountId", "/", !GetAtt Orders.QueueName]]
                requestParameters:
                  integration.request.querystring.Action: "'SendMessage'"
  Orders:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        GetItems:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
`);
    expect(apiEdges(graph, "Api")).toEqual(["trigger Fn", "write Orders"]);
    const e = edge(graph, "Api", "Fn");
    expect(e.line).toBe(33);
    expect(e.label).toBe("GetItems (Api GET /items), OpenAPI GET /items");
    expect(edge(graph, "Api", "Orders", "write").line).toBe(22);
  });

  it("malformed API definitions never throw", () => {
    const graph = graphOf(`
Transform: AWS::Serverless-2016-10-31
Resources:
  A:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody:
        paths:
          /x: "oops"
          /y: {get: {x-amazon-apigateway-integration: "nope"}}
          /z: {get: {x-amazon-apigateway-integration: {uri: 42}}}
          /w: {get: {x-amazon-apigateway-integration: {uri: {"Fn::Sub": [1, 2]}}}}
          /v: {get: {x-amazon-apigateway-integration: {"Fn::If": [C, null]}}}
      Auth: {Authorizers: {X: "y", Z: {FunctionArn: null}}}
  B:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody: [1, 2]
  M:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref A, Integration: {Uri: [1]}}
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: null, IntegrationSubtype: SQS-SendMessage, RequestParameters: "x"}
  W:
    Type: AWS::Serverless::WebSocketApi
    Properties: {Routes: {$connect: null, $default: {FunctionArn: 7}}, Auth: "x"}
  G:
    Type: AWS::Serverless::GraphQLApi
    Properties: {Auth: {Additional: "x"}, DataSources: {Lambda: {D: {FunctionArn: {}}}}}
`);
    expect(graph.edges).toEqual([]);
  });
});
