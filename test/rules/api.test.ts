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

  it("authorization: an event's `Authorizer: NONE` opens its route under a default authorizer (REST and HTTP APIs)", () => {
    const template = (type: "Api" | "HttpApi", apiProps: string, noneAuth: string) => `${SAM}Resources:
  Gateway:
    Type: AWS::Serverless::${type}
    Properties:
${apiProps}      Auth: { DefaultAuthorizer: AWS_IAM }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
        Guarded:
          Type: ${type}
          Properties: { ${type === "Api" ? "RestApiId" : "ApiId"}: !Ref Gateway, Path: /a, Method: get }
        Open:
          Type: ${type}
          Properties:
            ${type === "Api" ? "RestApiId" : "ApiId"}: !Ref Gateway
            Path: /b
            Method: get
            Auth: ${noneAuth}
`;
    const rest = judge(apiGwAuthorizationConfigured, template("Api", "      StageName: prod\n", "{ Authorizer: NONE }"));
    expect(rest.get("Gateway")).toMatchObject({ score: 0.5, message: "1 of 2 routes have no authorizer", line: 24 });
    const http = judge(apiGwAuthorizationConfigured, template("HttpApi", "", "{ Authorizer: NONE }"));
    expect(http.get("Gateway")).toMatchObject({ score: 0.5, message: "1 of 2 routes have no authorizer" });
    // Under a DefinitionBody, NONE lifts the default only with OverrideApiAuth.
    const body = "      StageName: prod\n      DefinitionBody: { openapi: '3.0', paths: {} }\n";
    expect(scoreOf(judge(apiGwAuthorizationConfigured, template("Api", body, "{ Authorizer: NONE }")), "Gateway")).toBe(1);
    expect(scoreOf(judge(apiGwAuthorizationConfigured, template("Api", body, "{ Authorizer: NONE, OverrideApiAuth: true }")), "Gateway")).toBe(0.5);
    // An explicit authorizer on the route keeps it protected.
    expect(judge(apiGwAuthorizationConfigured, template("Api", "      StageName: prod\n", "{ Authorizer: AWS_IAM }")).get("Gateway")).toMatchObject({
      score: 1,
      message: "a default authorizer protects every route",
    });
  });

  it("authorization on the translator's examples: routes opened with NONE under a default IAM authorizer", () => {
    const rest = byResource(apiGwAuthorizationConfigured.evaluate(corpusContext("sam-translator/input/api_with_default_aws_iam_auth_and_no_auth_route.yaml")));
    expect(rest.get("MyApiWithAwsIamAuth")).toMatchObject({ score: 0.5, message: "2 of 4 routes have no authorizer" });
    const http = byResource(apiGwAuthorizationConfigured.evaluate(corpusContext("sam-translator/input/http_api_local_iam_auth_enabled.yaml")));
    expect(http.get("MyDefaultIamAuthHttpApi")).toMatchObject({ score: 2 / 3, message: "1 of 3 routes have no authorizer" });
    expect(http.get("MyIamAuthEnabledHttpApi")).toMatchObject({ score: 0.5 });
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

  it("authorization: reads OpenAPI definitions (security, x-amazon-apigateway-auth), and SAM and its translation agree", () => {
    const sam = judge(
      apiGwAuthorizationConfigured,
      `${SAM}Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        swagger: "2.0"
        security: [{ sigv4: [] }]
        paths:
          /a: { get: {} }
          /b: { post: { x-amazon-apigateway-auth: { type: aws_iam } } }
`,
    );
    // REST API import ignores the definition-level security: /a is open.
    expect(scoreOf(sam, "Api")).toBe(0.5);
    const http = judge(
      apiGwAuthorizationConfigured,
      `Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: 3.0.1
        security: [{ Jwt: [] }]
        paths:
          /a: { get: {} }
          /b: { get: { security: [] } }
`,
    );
    // HTTP APIs apply it; an operation's own empty list still opens that operation.
    expect(scoreOf(http, "Api")).toBe(0.5);
    const cfn = judge(
      apiGwAuthorizationConfigured,
      `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /public: { get: { security: [] } }
          /private: { get: { security: [{ Cognito: [] }] } }
`,
    );
    expect(scoreOf(cfn, "Api")).toBe(0.5);
    expect(cfn.get("Api")?.message).toBe("1 of 2 operations of the Body require no authorization (first: GET /public)");
    for (const file of ["sam-translator/input/http_api_existing_openapi.yaml", "sam-translator/output/http_api_existing_openapi.json"]) {
      expect(scoreOf(byResource(apiGwAuthorizationConfigured.evaluate(corpusContext(file))), "MyApi"), file).toBeCloseTo(0.8);
    }
  });

  it("authorization: API keys and SAM's NONE marker are not authorization, an authorizer among API keys is; SAM and translation agree", () => {
    const open = judge(
      apiGwAuthorizationConfigured,
      `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        components:
          securitySchemes:
            api_key: { type: apiKey, name: x-api-key, in: header }
            Lambda: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom }
        paths:
          /key: { get: { security: [{ api_key: [] }] } }
          /none: { get: { security: [{ NONE: [] }] } }
          /both: { get: { security: [{ Lambda: [] }, { api_key: [] }] } }
          /lambda: { get: { security: [{ Lambda: [] }] } }
`,
    );
    expect(scoreOf(open, "Api")).toBe(0.5);
    // SAM puts its default authorizer on every operation of the definition that does not name NONE.
    const sam = judge(
      apiGwAuthorizationConfigured,
      `${SAM}Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth: { DefaultAuthorizer: MyAuth, Authorizers: { MyAuth: { UserPoolArn: arn:aws:cognito-idp:eu-west-1:1:userpool/x } } }
      DefinitionBody:
        swagger: "2.0"
        paths:
          /empty: { get: { security: [] } }
          /keyed: { get: { security: [{ api_key: [] }] } }
          /none: { get: { security: [{ NONE: [] }] } }
`,
    );
    expect(scoreOf(sam, "Api")).toBeCloseTo(2 / 3);
    for (const [name, api, score] of [
      ["api_with_apikey_required_openapi_3", "MyApiWithoutAuth", 0],
      ["api_with_default_aws_iam_auth_and_no_auth_route", "MyApiWithAwsIamAuth", 0.5],
      ["globals_for_api", "ExplicitApi", 1],
    ] as const) {
      for (const file of [`sam-translator/input/${name}.yaml`, `sam-translator/output/${name}.json`]) {
        expect(scoreOf(byResource(apiGwAuthorizationConfigured.evaluate(corpusContext(file))), api), file).toBe(score);
      }
    }
  });
});
