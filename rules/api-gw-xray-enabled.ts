import type { Rule } from "../src/fitness/types.js";
import { checkProperty } from "../src/fitness/kit/findings.js";
import { restApiStages } from "../src/fitness/kit/apis.js";
import { isTrue } from "../src/fitness/kit/values.js";

export const apiGwXrayEnabled: Rule = {
  id: "api-gw-xray-enabled",
  title: "API Gateway X-Ray tracing enabled",
  category: "operations",
  weight: 1,
  appliesTo: ["AWS::Serverless::Api", "AWS::ApiGateway::Stage"],
  configRuleIdentifier: "API_GW_XRAY_ENABLED",
  docs: "REST API stages trace requests with X-Ray (`TracingEnabled: true`; `Globals.Api` for the implicit API). HTTP APIs do not support X-Ray and are not judged.",
  evaluate({ template }) {
    return restApiStages(template).map((resource) =>
      checkProperty(template, {
        resource, path: ["TracingEnabled"], judge: (v) => (isTrue(v) ? 1 : 0),
        pass: "X-Ray tracing is enabled", fail: "X-Ray tracing is not enabled",
        fix: "Add `TracingEnabled: true`.",
      }),
    );
  },
};
