import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import { BUILTIN_RULE_IDS } from "../../rules/index.js";
import type { Category } from "../fitness/types.js";
import type { Value } from "../template/types.js";
import { compileCustomRule, compilePattern } from "./custom-rules.js";
import { defaultConfig } from "./defaults.js";
import { dict } from "../tables.js";
import { ConfigError } from "./errors.js";
import type { CustomCondition, CustomRuleSpec, ResolvedConfig, RuleSetting } from "./types.js";

const TOP_KEYS = ["rules", "lambda", "complexity-cap", "threshold", "max-decrease", "custom-rules", "code-rules", "allow-code-rules"];
const RULE_SETTING_KEYS = ["weight", "enabled"];
const CUSTOM_KEYS = ["id", "title", "category", "weight", "resource-types", "path", "condition", "message", "fix", "docs"];
const CONDITIONS = ["exists", "equals", "not-equals", "in", "matches"];
const CATEGORIES: readonly Category[] = ["security", "reliability", "operations", "cost", "performance"];
const ID = /^[a-z0-9][a-z0-9-]*$/;
const MAX_PATTERN = 200;
const MAX_WEIGHT = 1000;

type Path = (string | number)[];

/**
 * Parses and validates a config file (YAML). Pure: code rules are only
 * listed here; `loadConfig` loads them. Throws ConfigError naming the key
 * and line of the first problem.
 */
export function parseConfig(text: string, file: string): ResolvedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const v = new Validator(doc, lines, file);
  const first = doc.errors[0];
  if (first) throw new ConfigError(file, "(file)", first.linePos?.[0].line ?? null, `not valid YAML: ${first.message.split("\n")[0]}`);
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  const config = defaultConfig();
  config.file = file;
  if (root === null || root === undefined) return config;
  const top = v.map(root, []);
  v.onlyKeys(top, [], TOP_KEYS);

  if (top["lambda"] !== undefined) config.lambda = v.number(top["lambda"], ["lambda"], 0, 100);
  if (top["complexity-cap"] !== undefined) config.complexityCap = v.number(top["complexity-cap"], ["complexity-cap"], 0, 100);
  if (top["threshold"] !== undefined) config.threshold = v.nullableNumber(top["threshold"], ["threshold"], -100, 100);
  if (top["max-decrease"] !== undefined) config.maxDecrease = v.nullableNumber(top["max-decrease"], ["max-decrease"], 0, 200);
  if (top["allow-code-rules"] !== undefined) config.allowCodeRules = v.boolean(top["allow-code-rules"], ["allow-code-rules"]);
  if (top["code-rules"] !== undefined) {
    config.codeRules = v.list(top["code-rules"], ["code-rules"]).map((p, i) => v.string(p, ["code-rules", i]));
  }

  const customIds = new Set<string>();
  if (top["custom-rules"] !== undefined) {
    v.list(top["custom-rules"], ["custom-rules"]).forEach((raw, i) => {
      const spec = v.customRule(raw, ["custom-rules", i]);
      if (BUILTIN_RULE_IDS.has(spec.id) || customIds.has(spec.id)) v.fail(["custom-rules", i, "id"], `rule id "${spec.id}" is already taken`);
      customIds.add(spec.id);
      config.customRules.push(compileCustomRule(spec));
    });
  }

  if (top["rules"] !== undefined) {
    const rules = v.map(top["rules"], ["rules"]);
    // Keyed by rule ids from the file: "__proto__" must stay a key, not replace the prototype.
    config.rules = dict<RuleSetting>();
    for (const [id, raw] of Object.entries(rules)) {
      const known = BUILTIN_RULE_IDS.has(id) || customIds.has(id);
      // Ids of code rules are only known once loaded: loadConfig checks them.
      if (!known && config.codeRules.length === 0) v.fail(["rules", id], `unknown rule id "${id}"`, true);
      const setting = v.map(raw, ["rules", id]);
      v.onlyKeys(setting, ["rules", id], RULE_SETTING_KEYS);
      const out: RuleSetting = {};
      if (setting["weight"] !== undefined) out.weight = v.number(setting["weight"], ["rules", id, "weight"], 0, MAX_WEIGHT);
      if (setting["enabled"] !== undefined) out.enabled = v.boolean(setting["enabled"], ["rules", id, "enabled"]);
      config.rules[id] = out;
    }
  }
  return config;
}

class Validator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /** Throws a ConfigError for the key at `path` (its key's line when `atKey`). */
  fail(path: Path, problem: string, atKey = false): never {
    throw new ConfigError(this.file, path.map(String).join("."), this.lineOf(path, atKey), problem);
  }

  lineOf(path: Path, atKey = false): number | null {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (atKey && n === path.length && n > 0) {
        const parent = this.doc.getIn(path.slice(0, n - 1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
        const pair = parent?.items?.find((item) => item.key?.value === path[n - 1]);
        if (pair?.key?.range) return this.lines.linePos(pair.key.range[0]).line;
      }
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return null;
  }

  map(value: unknown, path: Path): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.fail(path, `expected a map, got ${kind(value)}`);
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: Path): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${kind(value)}`);
    return value;
  }

  onlyKeys(map: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(map)) {
      if (!allowed.includes(key)) this.fail([...path, key], `unknown key (expected one of: ${allowed.join(", ")})`, true);
    }
  }

  number(value: unknown, path: Path, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isFinite(value)) this.fail(path, `expected a number, got ${kind(value)}`);
    if (value < min || value > max) this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  nullableNumber(value: unknown, path: Path, min: number, max: number): number | null {
    return value === null ? null : this.number(value, path, min, max);
  }

  boolean(value: unknown, path: Path): boolean {
    if (typeof value !== "boolean") this.fail(path, `expected true or false, got ${kind(value)}`);
    return value;
  }

  string(value: unknown, path: Path): string {
    if (typeof value !== "string" || value.trim() === "") this.fail(path, `expected a non-empty string, got ${kind(value)}`);
    return value;
  }

  customRule(raw: unknown, path: Path): CustomRuleSpec {
    const m = this.map(raw, path);
    this.onlyKeys(m, path, CUSTOM_KEYS);
    for (const key of ["id", "title", "resource-types", "path", "condition", "message"]) {
      if (m[key] === undefined) this.fail(path, `missing required key "${key}"`);
    }
    const id = this.string(m["id"], [...path, "id"]);
    if (!ID.test(id)) this.fail([...path, "id"], `rule ids are lower-case kebab-case, got "${id}"`);
    const category = m["category"] === undefined ? "operations" : this.string(m["category"], [...path, "category"]);
    if (!CATEGORIES.includes(category as Category)) this.fail([...path, "category"], `expected one of ${CATEGORIES.join(", ")}, got "${category}"`);
    const types = m["resource-types"];
    const resourceTypes = (Array.isArray(types) ? types : [types]).map((t, i) => this.string(t, Array.isArray(types) ? [...path, "resource-types", i] : [...path, "resource-types"]));
    const rawPath = m["path"];
    const propertyPath =
      typeof rawPath === "string"
        ? rawPath.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part))
        : this.list(rawPath, [...path, "path"]).map((p, i) => (typeof p === "number" ? p : this.string(p, [...path, "path", i])));
    if (propertyPath.length === 0 || propertyPath.some((p) => p === "")) this.fail([...path, "path"], "expected a property path such as Tracing or VpcConfig.SubnetIds");
    const spec: CustomRuleSpec = {
      id,
      title: this.string(m["title"], [...path, "title"]),
      category: category as Category,
      weight: m["weight"] === undefined ? 1 : this.number(m["weight"], [...path, "weight"], 0, MAX_WEIGHT),
      resourceTypes,
      path: propertyPath,
      condition: this.condition(m["condition"], [...path, "condition"]),
      message: this.string(m["message"], [...path, "message"]),
    };
    if (m["fix"] !== undefined) spec.fix = this.string(m["fix"], [...path, "fix"]);
    if (m["docs"] !== undefined) spec.docs = this.string(m["docs"], [...path, "docs"]);
    return spec;
  }

  condition(raw: unknown, path: Path): CustomCondition {
    const m = this.map(raw, path);
    const keys = Object.keys(m);
    this.onlyKeys(m, path, CONDITIONS);
    if (keys.length !== 1) this.fail(path, `expected exactly one of ${CONDITIONS.join(", ")}`);
    const key = keys[0] as string;
    const value = m[key];
    switch (key) {
      case "exists":
        return { kind: "exists", expected: this.boolean(value, [...path, key]) };
      case "equals":
        return { kind: "equals", value: value as Value };
      case "not-equals":
        return { kind: "not-equals", value: value as Value };
      case "in":
        return { kind: "in", values: this.list(value, [...path, key]) as Value[] };
      default: {
        const pattern = this.string(value, [...path, key]);
        if (pattern.length > MAX_PATTERN) this.fail([...path, key], `pattern longer than ${MAX_PATTERN} characters`);
        try {
          compilePattern(pattern);
        } catch (error) {
          // RE2 syntax: no backreferences or lookaround, so matching stays linear in the value's length.
          this.fail([...path, key], `invalid or unsupported regular expression (RE2 syntax, no backreferences or lookaround): ${(error as Error).message}`);
        }
        return { kind: "matches", pattern };
      }
    }
  }
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `the string "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}
