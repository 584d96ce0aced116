import { intrinsicName, isMap, refTarget } from "../../template/intrinsics.js";
import { own } from "../../tables.js";
import type { Template, Value, ValueMap } from "../../template/types.js";

/**
 * One way a property may turn out at deploy time. `Fn::If` splits a value
 * into its two branches (half the weight each); `Ref` to a parameter is
 * judged on the parameter's Default (or, without one, its
 * AllowedValues, equally likely); an `Fn::Sub` whose variables are all
 * literals of its own map is the string it makes (see resolveSub); anything
 * else the template cannot decide (a parameter without Default, `Fn::Sub` where a literal is
 * expected, ...) is `unknown`.
 */
export interface Alternative {
  value: Value | undefined;
  weight: number;
  /** Why the value cannot be judged from the template alone. */
  unknown?: string;
}

/** Credit given to a value the template cannot decide: half, so it neither passes nor fails outright. */
export const UNKNOWN_CREDIT = 0.5;

const MAX_DEPTH = 12;

/** Expands one value into its alternatives (see Alternative). */
export function alternatives(value: Value | undefined, template: Template, depth = 0): Alternative[] {
  if (depth > MAX_DEPTH) return [{ value: undefined, weight: 1, unknown: "too deeply nested" }];
  const name = intrinsicName(value);
  if (name === undefined) return [{ value, weight: 1 }];
  const inner = (value as ValueMap)[name];
  if (name === "Fn::If" && Array.isArray(inner) && inner.length === 3) {
    const out: Alternative[] = [];
    for (const branch of [inner[1], inner[2]]) {
      for (const alt of alternatives(branch, template, depth + 1)) out.push({ ...alt, weight: alt.weight / 2 });
    }
    return out;
  }
  if (name === "Ref") {
    const target = refTarget(value);
    if (target === "AWS::NoValue") return [{ value: undefined, weight: 1 }];
    const parameter = target === undefined ? undefined : template.parameters.get(target);
    if (parameter) {
      // An SSM parameter type's Default is the name of the SSM parameter, not the value the stack gets.
      const type = parameter.raw["Type"];
      if (typeof type === "string" && type.startsWith("AWS::SSM::Parameter::Value")) {
        return [{ value, weight: 1, unknown: `read from SSM at deploy time (parameter ${target})` }];
      }
      const fallback = parameter.raw["Default"];
      if (fallback !== undefined) return alternatives(fallback, template, depth + 1);
      const allowed = parameter.raw["AllowedValues"];
      if (Array.isArray(allowed) && allowed.length > 0) {
        return allowed.map((v) => ({ value: v, weight: 1 / allowed.length }));
      }
      return [{ value, weight: 1, unknown: `depends on parameter ${target}` }];
    }
  }
  if (name === "Fn::Sub") {
    const text = resolveSub(value);
    if (text !== undefined) return [{ value: text, weight: 1 }];
  }
  return [{ value, weight: 1, unknown: `computed at deploy time (${name})` }];
}

/**
 * The string an `Fn::Sub` makes when the template alone decides it: every
 * `${Name}` is given a literal (string, number, boolean) in the Sub's own
 * variable map, and none is a pseudo parameter (`${AWS::Region}`), a
 * parameter, a resource or an attribute. `${!Text}` stands for the literal
 * `${Text}`. Undefined otherwise, or for a shape CloudFormation would reject.
 */
export function resolveSub(value: Value | undefined): string | undefined {
  if (intrinsicName(value) !== "Fn::Sub") return undefined;
  const args = (value as ValueMap)["Fn::Sub"];
  let text: string;
  let variables: ValueMap | undefined;
  if (typeof args === "string") {
    text = args;
  } else if (Array.isArray(args) && (args.length === 1 || args.length === 2) && typeof args[0] === "string") {
    text = args[0];
    if (args.length === 2) {
      if (!isMap(args[1]) || intrinsicName(args[1]) !== undefined) return undefined;
      variables = args[1];
    }
  } else {
    return undefined;
  }
  let decided = true;
  const out = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const literal = name.startsWith("AWS::") ? undefined : own(variables, name);
    if (typeof literal === "string" || typeof literal === "number" || typeof literal === "boolean") return String(literal);
    decided = false;
    return whole;
  });
  return decided ? out : undefined;
}

/** Alternatives for the value at `path` below `root`, expanding intrinsics at every step. */
export function valuesAt(root: Value | undefined, path: readonly (string | number)[], template: Template): Alternative[] {
  let current: Alternative[] = alternatives(root, template);
  for (const key of path) {
    const next: Alternative[] = [];
    for (const alt of current) {
      if (alt.unknown !== undefined) {
        next.push(alt);
        continue;
      }
      const child = step(alt.value, key);
      for (const inner of alternatives(child, template)) next.push({ ...inner, weight: inner.weight * alt.weight });
    }
    current = next;
  }
  return current;
}

function step(value: Value | undefined, key: string | number): Value | undefined {
  if (typeof key === "number") return Array.isArray(value) ? value[key] : undefined;
  if (isMap(value) && intrinsicName(value) === undefined) return own(value, key);
  return undefined;
}

/**
 * Credit over alternatives: the weighted mean of `judge` on the decidable
 * ones. An undecidable one (an intrinsic) is still shown to `judge`: when the
 * judge accepts it (a rule that only needs the property to be set, or only
 * rejects specific literals) it earns full credit, otherwise UNKNOWN_CREDIT.
 */
export function credit(alts: readonly Alternative[], judge: (value: Value | undefined) => number): { score: number; unknown: string | undefined } {
  let score = 0;
  let unknown: string | undefined;
  for (const alt of alts) {
    if (alt.unknown !== undefined) {
      const accepted = clamp01(judge(alt.value)) >= 1;
      if (!accepted) unknown ??= alt.unknown;
      score += alt.weight * (accepted ? 1 : UNKNOWN_CREDIT);
    } else {
      score += alt.weight * clamp01(judge(alt.value));
    }
  }
  return { score: clamp01(score), unknown };
}

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** True for `true` and the string "true" (any case), as CloudFormation accepts both. */
export function isTrue(value: Value | undefined): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

export function isFalse(value: Value | undefined): boolean {
  return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

/** Something is set: not missing, not null, not an empty string. Intrinsics count as set. */
export function isSet(value: Value | undefined): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** Plain property lookup without intrinsic expansion (undefined for shapes that do not fit). */
export function get(value: Value | undefined, ...path: (string | number)[]): Value | undefined {
  let current = value;
  for (const key of path) current = step(current, key);
  return current;
}

/** The value as a list: a list stays, a single value becomes a list of one, anything missing an empty list. */
export function asList(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
