import type { Finding, Rule } from "../src/fitness/types.js";
import { table, type Table } from "../src/tables.js";
import { checkProperty } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, functionsOf } from "../src/fitness/kit/functions.js";

/**
 * When each Lambda-managed runtime's support ends (deprecation, phase 1:
 * no more security patches, no new functions), from the Lambda runtime
 * deprecation table. A runtime fails from that day on; runtimes not listed
 * (newer ones, custom values) pass. Dates of runtimes on Amazon Linux 2
 * follow that OS's end of support (2026-06-30). Update as AWS announces.
 */
export const RUNTIME_END_OF_SUPPORT: Table<string> = table({
  nodejs: "2016-10-31",
  "nodejs4.3": "2020-03-05",
  "nodejs4.3-edge": "2020-03-05",
  "nodejs6.10": "2019-08-12",
  "nodejs8.10": "2020-03-06",
  "nodejs10.x": "2021-07-30",
  "nodejs12.x": "2023-03-31",
  "nodejs14.x": "2023-12-04",
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "nodejs22.x": "2027-04-30",
  "python2.7": "2021-07-15",
  "python3.6": "2022-07-18",
  "python3.7": "2023-12-04",
  "python3.8": "2024-10-14",
  "python3.9": "2025-12-15",
  "python3.10": "2026-06-30",
  "python3.11": "2026-06-30",
  "python3.12": "2028-10-31",
  "ruby2.5": "2021-07-30",
  "ruby2.7": "2023-11-27",
  "ruby3.2": "2026-03-31",
  "ruby3.3": "2027-03-31",
  java8: "2024-01-08",
  "java8.al2": "2026-06-30",
  java11: "2026-06-30",
  java17: "2026-06-30",
  "dotnetcore1.0": "2019-07-27",
  "dotnetcore2.0": "2019-05-30",
  "dotnetcore2.1": "2022-01-05",
  "dotnetcore3.1": "2023-04-03",
  "dotnet5.0": "2022-05-10",
  dotnet6: "2024-11-12",
  dotnet7: "2024-05-14",
  dotnet8: "2026-11-10",
  "go1.x": "2024-01-08",
  provided: "2024-01-08",
  "provided.al2": "2026-06-30",
});

/** The day `runtime`'s support ended, when it has ended by `day` (YYYY-MM-DD); else null. */
export function endedSupport(runtime: string, day: string): string | null {
  const end = RUNTIME_END_OF_SUPPORT.get(runtime);
  return end !== undefined && end <= day ? end : null;
}

export const lambdaRuntimeSupported: Rule = {
  id: "lambda-runtime-supported",
  title: "Lambda runtime supported",
  category: "security",
  weight: 2,
  appliesTo: FUNCTION_TYPES,
  docs:
    "Functions use a runtime that still receives security patches: a runtime fails from the day its support ends in " +
    "the Lambda deprecation table (`nodejs18.x` from 2025-09-01, `python3.9` from 2025-12-15, ...). " +
    "Container image functions (`PackageType: Image`) carry their own runtime and are not judged.",
  evaluate({ template, date }) {
    const day = date ?? new Date().toISOString().slice(0, 10);
    const out: Finding[] = [];
    for (const resource of functionsOf(template)) {
      if (resource.properties["PackageType"] === "Image") continue;
      if (resource.properties["Runtime"] === undefined) continue;
      out.push(checkProperty(template, {
        resource,
        path: ["Runtime"],
        judge: (v) => (typeof v === "string" && endedSupport(v, day) !== null ? 0 : 1),
        pass: "runtime is supported",
        fail: failMessage(resource.properties["Runtime"], day),
        fix: "Move to a supported runtime (e.g. nodejs22.x, python3.13, java21) and redeploy.",
      }));
    }
    return out;
  },
};

function failMessage(value: unknown, day: string): string {
  if (typeof value !== "string") return "the runtime's support has ended";
  return `runtime ${value} is deprecated: its support ended on ${endedSupport(value, day) ?? "an earlier date"}`;
}
