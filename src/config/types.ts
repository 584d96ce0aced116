import type { Category, Rule } from "../fitness/types.js";
import type { Value } from "../template/types.js";

/** Per-rule override from the config's `rules:` map. */
export interface RuleSetting {
  weight?: number;
  enabled?: boolean;
}

/** Condition of a declarative custom rule, on the value found at its property path. */
export type CustomCondition =
  | { kind: "exists"; expected: boolean }
  | { kind: "equals"; value: Value }
  | { kind: "not-equals"; value: Value }
  | { kind: "in"; values: Value[] }
  | { kind: "matches"; pattern: string };

/** A declarative rule written in the config file (no code runs). */
export interface CustomRuleSpec {
  id: string;
  title: string;
  category: Category;
  weight: number;
  resourceTypes: string[];
  /** Property path below `Properties`, e.g. ["VpcConfig", "SubnetIds"]. */
  path: (string | number)[];
  condition: CustomCondition;
  message: string;
  fix?: string;
  docs?: string;
}

export interface ResolvedConfig {
  /** Path of the file read, or null for the defaults. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  /** Weight of the complexity term (points per unit of complexity). */
  lambda: number;
  /** Maximum complexity penalty in points (Infinity = uncapped). */
  complexityCap: number;
  threshold: number | null;
  maxDecrease: number | null;
  /** Declarative rules from `custom-rules`, compiled. */
  customRules: Rule[];
  /** Module paths from `code-rules`, relative to the repository root. */
  codeRules: string[];
  allowCodeRules: boolean;
  /** Rules loaded from `code-rules` by `loadConfig` (empty unless allowed). */
  loadedRules: Rule[];
  /** Things the user should know that are not errors (code rules skipped, ...). */
  warnings: string[];
}
