import type { Finding, Rule } from "../src/fitness/types.js";
import { checkProperty } from "./support/findings.js";
import { FUNCTION_TYPES, functionsOf } from "./support/functions.js";

/**
 * Runtimes whose support has ended (Lambda blocks creating functions with
 * them). From the Lambda runtime deprecation table; update as runtimes age.
 */
export const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set([
  "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
  "python2.7", "python3.6", "python3.7", "python3.8",
  "ruby2.5", "ruby2.7",
  "java8",
  "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7",
  "go1.x", "provided",
]);

export const lambdaRuntimeSupported: Rule = {
  id: "lambda-runtime-supported",
  title: "Lambda runtime supported",
  category: "security",
  weight: 2,
  appliesTo: FUNCTION_TYPES,
  docs:
    "Functions use a runtime that still receives security patches (not `nodejs8.10`, `python2.7`, `go1.x`, ...). " +
    "Container image functions (`PackageType: Image`) carry their own runtime and are not judged.",
  evaluate({ template }) {
    const out: Finding[] = [];
    for (const resource of functionsOf(template)) {
      if (resource.properties["PackageType"] === "Image") continue;
      if (resource.properties["Runtime"] === undefined) continue;
      out.push(checkProperty(template, {
        resource,
        path: ["Runtime"],
        judge: (v) => (typeof v === "string" && DEPRECATED_RUNTIMES.has(v) ? 0 : 1),
        pass: "runtime is supported",
        fail: `runtime ${String(describe(resource.properties["Runtime"]))} is deprecated`,
        fix: "Move to a supported runtime (e.g. nodejs22.x, python3.13, java21) and redeploy.",
      }));
    }
    return out;
  },
};

function describe(value: unknown): string {
  return typeof value === "string" ? value : "(computed)";
}
