import type { Value, ValueMap } from "./types.js";

/**
 * CloudFormation intrinsic functions and condition functions, by the YAML
 * short tag that writes them and the long JSON key they normalise to.
 */
export const SHORT_TAGS: ReadonlyMap<string, string> = new Map([
  ["!Ref", "Ref"],
  ["!Condition", "Condition"],
  ["!GetAtt", "Fn::GetAtt"],
  ["!Sub", "Fn::Sub"],
  ["!Join", "Fn::Join"],
  ["!If", "Fn::If"],
  ["!Select", "Fn::Select"],
  ["!Split", "Fn::Split"],
  ["!FindInMap", "Fn::FindInMap"],
  ["!GetAZs", "Fn::GetAZs"],
  ["!ImportValue", "Fn::ImportValue"],
  ["!Base64", "Fn::Base64"],
  ["!Cidr", "Fn::Cidr"],
  ["!Equals", "Fn::Equals"],
  ["!And", "Fn::And"],
  ["!Or", "Fn::Or"],
  ["!Not", "Fn::Not"],
  ["!Transform", "Fn::Transform"],
  ["!Length", "Fn::Length"],
  ["!ToJsonString", "Fn::ToJsonString"],
]);

const LONG_KEYS: ReadonlySet<string> = new Set([...SHORT_TAGS.values(), "Fn::ForEach"]);

/** The intrinsic's long name (`Ref`, `Fn::GetAtt`, ...) when `value` is one, else undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return LONG_KEYS.has(key) ? key : undefined;
}

export function isIntrinsic(value: unknown): value is ValueMap {
  return intrinsicName(value) !== undefined;
}

export function isMap(value: unknown): value is ValueMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A map that is data, not an intrinsic function call. */
export function isPlainMap(value: unknown): value is ValueMap {
  return isMap(value) && !isIntrinsic(value);
}

/** `{Ref: X}` -> X. */
export function refTarget(value: unknown): string | undefined {
  if (intrinsicName(value) !== "Ref") return undefined;
  const target = (value as ValueMap)["Ref"];
  return typeof target === "string" ? target : undefined;
}

/** `{Fn::GetAtt: [X, Attr]}` -> [X, Attr]. */
export function getAttTarget(value: unknown): [string, string] | undefined {
  if (intrinsicName(value) !== "Fn::GetAtt") return undefined;
  const args = (value as ValueMap)["Fn::GetAtt"];
  if (Array.isArray(args) && typeof args[0] === "string") {
    return [args[0], typeof args[1] === "string" ? args[1] : ""];
  }
  return undefined;
}

/**
 * Splits the argument of `!GetAtt` written as one string: `A.B` -> [A, B];
 * attribute names may contain dots themselves (`Stack.Outputs.Name`), the
 * logical ID never does.
 */
export function splitGetAttString(text: string): Value[] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

export interface Reference {
  /** Logical ID (or parameter / pseudo parameter) referred to. */
  target: string;
  /** Attribute for GetAtt and `${X.Attr}`; for `Ref: X.Version` style SAM references, the suffix. */
  attribute: string | undefined;
  via: "Ref" | "GetAtt" | "Sub";
  /** The object holding the intrinsic and the key under which it stands there, for positions. */
  container: object;
  key: string | number;
}

const SUB_VARIABLE = /\$\{([^}!][^}]*)\}/g;

/** Variables named in a `Fn::Sub` string, minus `${!Literal}` escapes. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(SUB_VARIABLE)) names.push((match[1] as string).trim());
  return names;
}

/**
 * The variable a `Fn::Sub` string starts with when a path follows it
 * (`${BucketArn}/*`, `${TableArn}:stream`): that variable is the ARN the
 * string extends. Undefined otherwise.
 */
export function leadingSubVariable(text: string): string | undefined {
  return /^\s*\$\{([^}!][^}]*)\}[/:]/.exec(text)?.[1]?.trim();
}

/**
 * Every reference to a logical ID inside `value`: `Ref`, `Fn::GetAtt` and the
 * `${Name}` / `${Name.Attr}` variables of `Fn::Sub` (minus the ones its own
 * variable map defines). Iterative, so deep values cannot overflow the stack.
 */
export function collectReferences(value: Value, container: object, key: string | number): Reference[] {
  const out: Reference[] = [];
  const stack: [Value, object, string | number][] = [[value, container, key]];
  while (stack.length > 0) {
    const [current, holder, at] = stack.pop() as [Value, object, string | number];
    if (current === null || typeof current !== "object") continue;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i] as Value, current, i]);
      continue;
    }
    const name = intrinsicName(current);
    if (name === "Ref") {
      const target = current["Ref"];
      if (typeof target === "string") {
        const dot = target.indexOf(".");
        out.push(
          dot > 0
            ? { target: target.slice(0, dot), attribute: target.slice(dot + 1), via: "Ref", container: holder, key: at }
            : { target, attribute: undefined, via: "Ref", container: holder, key: at },
        );
      }
      continue;
    }
    if (name === "Fn::GetAtt") {
      const pair = getAttTarget(current);
      if (pair) out.push({ target: pair[0], attribute: pair[1], via: "GetAtt", container: holder, key: at });
      const args = current["Fn::GetAtt"];
      // The attribute may itself be an intrinsic (`!GetAtt [A, !Ref Attr]`).
      if (Array.isArray(args)) for (const arg of args.slice(1)) stack.push([arg, current, "Fn::GetAtt"]);
      continue;
    }
    if (name === "Fn::Sub") {
      const args = current["Fn::Sub"];
      const text = typeof args === "string" ? args : Array.isArray(args) && typeof args[0] === "string" ? args[0] : undefined;
      const locals = Array.isArray(args) && isMap(args[1]) ? new Set(Object.keys(args[1])) : new Set<string>();
      if (text !== undefined) {
        for (const variable of subVariables(text)) {
          const dot = variable.indexOf(".");
          const target = dot > 0 ? variable.slice(0, dot) : variable;
          if (locals.has(variable) || locals.has(target)) continue;
          out.push({ target, attribute: dot > 0 ? variable.slice(dot + 1) : undefined, via: "Sub", container: holder, key: at });
        }
      }
      if (Array.isArray(args) && args[1] !== undefined) stack.push([args[1], args, 1]);
      continue;
    }
    for (const k of Object.keys(current).reverse()) stack.push([current[k] as Value, current, k]);
  }
  return out;
}
