import { DEFAULT_COMPLEXITY_CAP, DEFAULT_LAMBDA } from "../fitness/complexity.js";
import type { ResolvedConfig } from "./types.js";

/** Default config file, relative to the repository root. */
export const DEFAULT_CONFIG_PATH = ".github/sam-fitness.yml";

/** The configuration used when there is no config file. */
export const DEFAULT_CONFIG: Readonly<ResolvedConfig> = Object.freeze({
  file: null,
  rules: {},
  lambda: DEFAULT_LAMBDA,
  complexityCap: DEFAULT_COMPLEXITY_CAP,
  threshold: null,
  maxDecrease: null,
  customRules: [],
  codeRules: [],
  allowCodeRules: false,
  loadedRules: [],
  warnings: [],
});

/** A fresh mutable copy of the defaults. */
export function defaultConfig(): ResolvedConfig {
  return { ...DEFAULT_CONFIG, rules: {}, customRules: [], codeRules: [], loadedRules: [], warnings: [] };
}
