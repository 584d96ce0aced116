import type { Finding, Rule } from "../src/fitness/types.js";
import type { Resource, Template } from "../src/template/types.js";
import { finding, lineAt, lineOf } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, functionNamedBy, functionsOf } from "../src/fitness/kit/functions.js";
import { isPublicPrincipal } from "../src/fitness/kit/policies.js";
import { get } from "../src/fitness/kit/values.js";

/** Properties of an `AWS::Lambda::Permission` that narrow who may use a broad principal. */
const NARROWING = ["SourceArn", "SourceAccount", "PrincipalOrgID"];

export const lambdaFunctionPublicAccessProhibited: Rule = {
  id: "lambda-function-public-access-prohibited",
  title: "Lambda not publicly invokable",
  category: "security",
  weight: 4,
  appliesTo: FUNCTION_TYPES,
  configRuleIdentifier: "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
  docs:
    "No `AWS::Lambda::Permission` grants `Principal: \"*\"` without `SourceArn`, `SourceAccount` or `PrincipalOrgID`, " +
    "and no function URL has `AuthType: NONE` (SAM `FunctionUrlConfig` or `AWS::Lambda::Url`).",
  evaluate({ template }) {
    const exposures = publicExposures(template);
    return functionsOf(template).map((fn): Finding => {
      const exposure = exposures.get(fn.id);
      if (exposure) return finding(fn.id, 0, exposure.line, exposure.message, exposure.fix);
      const urlAuth = get(fn.properties, "FunctionUrlConfig", "AuthType");
      if (urlAuth === "NONE") {
        return finding(fn.id, 0, lineAt(fn, ["FunctionUrlConfig", "AuthType"]), "the function URL has AuthType NONE: anyone can invoke it",
          "Use `FunctionUrlConfig: { AuthType: AWS_IAM }`, or put the function behind an API with an authorizer.");
      }
      return finding(fn.id, 1, fn.position.line, "not publicly invokable", "");
    });
  },
};

interface Exposure {
  line: number;
  message: string;
  fix: string;
}

function publicExposures(template: Template): Map<string, Exposure> {
  const out = new Map<string, Exposure>();
  for (const resource of template.resources.values() as Iterable<Resource>) {
    const p = resource.properties;
    if (resource.type === "AWS::Lambda::Permission") {
      const target = functionNamedBy(template, p["FunctionName"]);
      if (!target || out.has(target)) continue;
      const principal = p["Principal"];
      const open = isPublicPrincipal(principal) && !NARROWING.some((k) => p[k] !== undefined);
      const urlOpen = p["FunctionUrlAuthType"] === "NONE";
      if (open || urlOpen) {
        out.set(target, {
          line: lineOf(p, open ? "Principal" : "FunctionUrlAuthType", resource.position.line),
          message: `permission ${resource.id} lets anyone invoke the function`,
          fix: "Name the calling service as `Principal` and add `SourceArn` / `SourceAccount`, or remove the permission.",
        });
      }
    } else if (resource.type === "AWS::Lambda::Url" && p["AuthType"] === "NONE") {
      const target = functionNamedBy(template, p["TargetFunctionArn"]);
      if (target && !out.has(target)) {
        out.set(target, {
          line: lineOf(p, "AuthType", resource.position.line),
          message: `function URL ${resource.id} has AuthType NONE: anyone can invoke the function`,
          fix: "Set `AuthType: AWS_IAM` on the function URL.",
        });
      }
    }
  }
  return out;
}
