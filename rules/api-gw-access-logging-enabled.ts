import type { Rule } from "../src/fitness/types.js";
import { checkProperty } from "../src/fitness/kit/findings.js";
import { httpApiStages, restApiStages } from "../src/fitness/kit/apis.js";
import { get, isSet } from "../src/fitness/kit/values.js";

export const apiGwAccessLoggingEnabled: Rule = {
  id: "api-gw-access-logging-enabled",
  title: "API Gateway access logging enabled",
  category: "operations",
  weight: 1,
  appliesTo: ["AWS::Serverless::Api", "AWS::ApiGateway::Stage", "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Stage"],
  docs:
    "API stages write access logs: `AccessLogSetting.DestinationArn` (REST: `AWS::Serverless::Api`, `AWS::ApiGateway::Stage`) " +
    "or `AccessLogSettings.DestinationArn` (HTTP: `AWS::Serverless::HttpApi`, `AWS::ApiGatewayV2::Stage`). " +
    "Implicit APIs take it from `Globals.Api` / `Globals.HttpApi`. For HTTP APIs, AWS Config's API_GWV2_ACCESS_LOGS_ENABLED checks the same.",
  evaluate({ template }) {
    const rest = restApiStages(template).map((resource) =>
      checkProperty(template, {
        resource, path: ["AccessLogSetting"], judge: (v) => (isSet(get(v, "DestinationArn")) ? 1 : 0),
        pass: "access logging is enabled", fail: "access logging is not enabled",
        fix: "Add `AccessLogSetting: { DestinationArn: !GetAtt ApiLogs.Arn, Format: ... }`.",
      }),
    );
    const http = httpApiStages(template).map((resource) =>
      checkProperty(template, {
        resource, path: ["AccessLogSettings"], judge: (v) => (isSet(get(v, "DestinationArn")) ? 1 : 0),
        pass: "access logging is enabled", fail: "access logging is not enabled",
        fix: "Add `AccessLogSettings: { DestinationArn: !GetAtt ApiLogs.Arn, Format: ... }`.",
      }),
    );
    return [...rest, ...http];
  },
};
