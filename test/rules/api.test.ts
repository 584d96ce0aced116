import { describe, expect, it } from "vitest";
import { apiGwAccessLoggingEnabled } from "../../rules/api-gw-access-logging-enabled.js";
import { apiGwAuthorizationConfigured } from "../../rules/api-gw-authorization-configured.js";
import { apiGwExecutionLoggingEnabled } from "../../rules/api-gw-execution-logging-enabled.js";
import { apiGwXrayEnabled } from "../../rules/api-gw-xray-enabled.js";
import { byResource, corpusContext, judge, SAM, scoreOf } from "./helpers.js";

const SAM_APIS = `${SAM}Globals:
  Api:
    TracingEnabled: true
    AccessLogSetting: { DestinationArn: !GetAtt Logs.Arn, Format: $context.requestId }
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  Secured:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      TracingEnabled: false
      MethodSettings: [{ HttpMethod: "*", ResourcePath: "/*", LoggingLevel: ERROR }]
      Auth: { DefaultAuthorizer: AWS_IAM }
  Http:
    Type: AWS::Serverless::HttpApi
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
        Public:
          Type: Api
          Properties: { Path: /a, Method: get }
        Private:
          Type: Api
          Properties: { Path: /b, Method: get, Auth: { Authorizer: AWS_IAM } }
        OnHttp:
          Type: HttpApi
          Properties: { ApiId: !Ref Http, Path: /c, Method: get }
`;

const CFN_API = `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: api }
  Get:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: COGNITO_USER_POOLS }
  Post:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: POST, AuthorizationType: NONE }
  Cors:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: OPTIONS, AuthorizationType: NONE }
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      TracingEnabled: true
      AccessLogSetting: { DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:api }
      MethodSettings: [{ HttpMethod: "*", ResourcePath: "/*", LoggingLevel: "OFF" }]
`;

describe("api gateway rules", () => {
  it("the implicit ServerlessRestApi is judged from Globals.Api", () => {
    expect(scoreOf(judge(apiGwXrayEnabled, SAM_APIS), "ServerlessRestApi")).toBe(1);
    expect(scoreOf(judge(apiGwAccessLoggingEnabled, SAM_APIS), "ServerlessRestApi")).toBe(1);
    expect(scoreOf(judge(apiGwExecutionLoggingEnabled, SAM_APIS), "ServerlessRestApi")).toBe(0);
  });

  it("a declared SAM API overrides Globals; HTTP APIs get access logging but no X-Ray verdict", () => {
    expect(scoreOf(judge(apiGwXrayEnabled, SAM_APIS), "Secured")).toBe(0);
    expect(scoreOf(judge(apiGwExecutionLoggingEnabled, SAM_APIS), "Secured")).toBe(1);
    expect(scoreOf(judge(apiGwAccessLoggingEnabled, SAM_APIS), "Http")).toBe(0);
    expect(judge(apiGwXrayEnabled, SAM_APIS).has("Http")).toBe(false);
  });

  it("plain CloudFormation stages: tracing and access logs on, execution logging OFF fails", () => {
    expect(scoreOf(judge(apiGwXrayEnabled, CFN_API), "Stage")).toBe(1);
    expect(scoreOf(judge(apiGwAccessLoggingEnabled, CFN_API), "Stage")).toBe(1);
    expect(scoreOf(judge(apiGwExecutionLoggingEnabled, CFN_API), "Stage")).toBe(0);
  });

  it("authorization: default authorizer passes, otherwise the share of authorized routes; OPTIONS excluded", () => {
    const sam = judge(apiGwAuthorizationConfigured, SAM_APIS);
    expect(scoreOf(sam, "Secured")).toBe(1);
    expect(scoreOf(sam, "ServerlessRestApi")).toBe(0.5);
    expect(scoreOf(sam, "Http")).toBe(0);
    const cfn = judge(apiGwAuthorizationConfigured, CFN_API);
    expect(scoreOf(cfn, "Api")).toBe(0.5);
    expect(cfn.get("Api")?.line).toBe(10); // the POST method's AuthorizationType
  });

  it("x-ray on the translator's example: SAM input and translated stage agree", () => {
    const input = byResource(apiGwXrayEnabled.evaluate(corpusContext("sam-translator/input/api_with_xray_tracing.yaml")));
    const output = byResource(apiGwXrayEnabled.evaluate(corpusContext("sam-translator/output/api_with_xray_tracing.json")));
    expect(scoreOf(input, "HtmlApi")).toBe(1);
    expect(scoreOf(output, "HtmlApiProdStage")).toBe(1);
  });

  it("access logging on the translator's example: explicit API and implicit API agree before and after translation", () => {
    const input = byResource(apiGwAccessLoggingEnabled.evaluate(corpusContext("sam-translator/input/api_with_access_log_setting.yaml")));
    const output = byResource(apiGwAccessLoggingEnabled.evaluate(corpusContext("sam-translator/output/api_with_access_log_setting.json")));
    expect(scoreOf(input, "ExplicitApi")).toBe(scoreOf(output, "ExplicitApiProdStage"));
    expect(scoreOf(input, "ServerlessRestApi")).toBe(scoreOf(output, "ServerlessRestApiProdStage"));
  });
});
