import type { Rule } from "../src/fitness/types.js";
import { checkProperty } from "../src/fitness/kit/findings.js";
import { restApiStages } from "../src/fitness/kit/apis.js";
import { get } from "../src/fitness/kit/values.js";

export const apiGwExecutionLoggingEnabled: Rule = {
  id: "api-gw-execution-logging-enabled",
  title: "API Gateway execution logging enabled",
  category: "operations",
  weight: 1,
  appliesTo: ["AWS::Serverless::Api", "AWS::ApiGateway::Stage"],
  configRuleIdentifier: "API_GW_EXECUTION_LOGGING_ENABLED",
  docs:
    "REST API stages log method execution: a `MethodSettings` entry with `LoggingLevel: ERROR` or `INFO` " +
    "(usually `HttpMethod: \"*\"`, `ResourcePath: \"/*\"`). For the implicit `ServerlessRestApi`, set it in `Globals.Api`.",
  evaluate({ template }) {
    return restApiStages(template).map((resource) =>
      checkProperty(template, {
        resource,
        path: ["MethodSettings"],
        judge: (v) => (Array.isArray(v) && v.some((s) => ["ERROR", "INFO"].includes(String(get(s, "LoggingLevel")))) ? 1 : 0),
        pass: "execution logging is enabled",
        fail: "execution logging is not enabled",
        fix: "Add `MethodSettings: [{ HttpMethod: \"*\", ResourcePath: \"/*\", LoggingLevel: ERROR }]` (the account needs an API Gateway CloudWatch role).",
      }),
    );
  },
};
