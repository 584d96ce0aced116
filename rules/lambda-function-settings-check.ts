import type { Finding, Rule } from "../src/fitness/types.js";
import { finding, lineAt } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, functionsOf } from "../src/fitness/kit/functions.js";
import { credit, isSet, valuesAt } from "../src/fitness/kit/values.js";

export const lambdaFunctionSettingsCheck: Rule = {
  id: "lambda-function-settings-check",
  title: "Lambda timeout and memory set explicitly",
  category: "operations",
  weight: 1,
  appliesTo: FUNCTION_TYPES,
  configRuleIdentifier: "LAMBDA_FUNCTION_SETTINGS_CHECK",
  docs:
    "Functions set `Timeout` and `MemorySize` explicitly (on the function or in `Globals.Function`) instead of relying on " +
    "the 3 s / 128 MB defaults. Half the credit for each.",
  evaluate({ template }) {
    return functionsOf(template).map((resource): Finding => {
      const parts = ["Timeout", "MemorySize"].map((key) => ({ key, ...credit(valuesAt(resource.properties, [key], template), (v) => (isSet(v) ? 1 : 0)) }));
      const score = parts.reduce((sum, p) => sum + p.score / 2, 0);
      const missing = parts.filter((p) => p.score < 1).map((p) => p.key);
      const line = missing[0] ? lineAt(resource, [missing[0]]) : lineAt(resource, ["Timeout"]);
      return finding(resource.id, score, line,
        missing.length === 0 ? "timeout and memory are explicit" : `${missing.join(" and ")} not set (defaults: 3 s, 128 MB)`,
        `Set ${missing.map((m) => `\`${m}\``).join(" and ")} on the function or in \`Globals.Function\`.`);
    });
  },
};
