import type { Rule } from "../src/fitness/types.js";
import { checkProperty } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, functionsOf } from "../src/fitness/kit/functions.js";

export const lambdaFunctionXrayEnabled: Rule = {
  id: "lambda-function-xray-enabled",
  title: "Lambda X-Ray tracing active",
  category: "operations",
  weight: 1,
  appliesTo: FUNCTION_TYPES,
  configRuleIdentifier: "LAMBDA_FUNCTION_XRAY_ENABLED",
  docs: "Functions trace requests with X-Ray: `Tracing: Active` (SAM, also from `Globals.Function`) or `TracingConfig: { Mode: Active }`.",
  evaluate({ template }) {
    return functionsOf(template).map((resource) => {
      const sam = resource.type === "AWS::Serverless::Function";
      return checkProperty(template, {
        resource,
        path: sam ? ["Tracing"] : ["TracingConfig", "Mode"],
        judge: (v) => (v === "Active" ? 1 : 0),
        pass: "X-Ray tracing is active",
        fail: "X-Ray tracing is not active",
        fix: sam ? "Add `Tracing: Active` (or set it once in `Globals.Function`)." : "Add `TracingConfig: { Mode: Active }`.",
      });
    });
  },
};
