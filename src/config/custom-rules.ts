import { credit, valuesAt } from "../fitness/kit/values.js";
import { finding, lineAt, resourcesOf } from "../fitness/kit/findings.js";
import type { Rule } from "../fitness/types.js";
import type { Value } from "../template/types.js";
import type { CustomCondition, CustomRuleSpec } from "./types.js";
import { RE2JS } from "re2js";

/**
 * A config pattern, compiled with RE2's linear-time engine: the config comes
 * from the pull request, and JavaScript's backtracking RegExp takes hours on
 * `^(a+)+$` against 129 characters. RE2 has no backreferences or lookaround;
 * such a pattern is a config error (compilePattern throws, parse.ts reports it
 * at its line). Matching searches the value, as RegExp.test did.
 */
export function compilePattern(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

/** Longest string a `matches` pattern is tested against (bounds the cost of a hostile pattern). */
const MAX_MATCH_INPUT = 1_000;

/** Turns a declarative rule from the config into a Rule. */
export function compileCustomRule(spec: CustomRuleSpec): Rule {
  const judge = judgeOf(spec.condition);
  return {
    id: spec.id,
    title: spec.title,
    category: spec.category,
    weight: spec.weight,
    appliesTo: spec.resourceTypes,
    docs: spec.docs ?? `Custom rule: \`${spec.path.join(".")}\` ${describe(spec.condition)}.`,
    evaluate({ template }) {
      return resourcesOf(template, spec.resourceTypes).map((resource) => {
        const { score, unknown } = credit(valuesAt(resource.properties, spec.path, template), judge);
        return finding(resource.id, score, lineAt(resource, spec.path), score >= 1 ? `${spec.title}: ok` : spec.message, spec.fix ?? spec.message, unknown);
      });
    },
  };
}

function judgeOf(condition: CustomCondition): (value: Value | undefined) => number {
  switch (condition.kind) {
    case "exists":
      return (v) => ((v !== undefined && v !== null) === condition.expected ? 1 : 0);
    case "equals":
      return (v) => (same(v, condition.value) ? 1 : 0);
    case "not-equals":
      return (v) => (same(v, condition.value) ? 0 : 1);
    case "in":
      return (v) => (condition.values.some((x) => same(v, x)) ? 1 : 0);
    case "matches": {
      const re = compilePattern(condition.pattern);
      return (v) => (typeof v === "string" || typeof v === "number" ? (re.matcher(String(v).slice(0, MAX_MATCH_INPUT)).find() ? 1 : 0) : 0);
    }
  }
}

/** Deep equality of plain values; numbers and booleans also equal their string forms (CloudFormation accepts both). */
function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" && typeof b !== "object") return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(condition: CustomCondition): string {
  switch (condition.kind) {
    case "exists":
      return condition.expected ? "is set" : "is not set";
    case "equals":
      return `equals ${JSON.stringify(condition.value)}`;
    case "not-equals":
      return `does not equal ${JSON.stringify(condition.value)}`;
    case "in":
      return `is one of ${JSON.stringify(condition.values)}`;
    case "matches":
      return `matches /${condition.pattern}/`;
  }
}
