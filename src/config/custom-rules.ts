import { credit, valuesAt } from "../../rules/support/values.js";
import { finding, lineAt, resourcesOf } from "../../rules/support/findings.js";
import type { Rule } from "../fitness/types.js";
import type { Value } from "../template/types.js";
import type { CustomCondition, CustomRuleSpec } from "./types.js";

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
      const re = new RegExp(condition.pattern);
      return (v) => (typeof v === "string" || typeof v === "number" ? (re.test(String(v).slice(0, MAX_MATCH_INPUT)) ? 1 : 0) : 0);
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
