/**
 * The config the base version is scored with when a change edits the config
 * file: the base's own, so that what the change does to weights, disabled
 * rules or custom rules shows in the delta (attributed to the rules it
 * moves) instead of being applied to both sides. Pure.
 */
import { defaultConfig } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { parseConfig } from "./parse.js";
import type { ResolvedConfig } from "./types.js";

export interface BaseConfig {
  config: ResolvedConfig;
  /** Said in the report, so that a reader knows both sides were not scored alike. */
  note: string;
}

/**
 * `baseText`: the config file at the base (null: there was none). The head's
 * code rules (already loaded, and allowed by the run) serve the base too when
 * the base's file lists code rules.
 */
export function baseConfigFrom(baseText: string | null, head: ResolvedConfig, file: string): BaseConfig {
  if (baseText === null) {
    return { config: defaultConfig(), note: `${file} is new in this change: the base is scored with the default config` };
  }
  try {
    const config = parseConfig(baseText, file);
    if (config.codeRules.length > 0 && config.allowCodeRules) config.loadedRules = [...head.loadedRules];
    return { config, note: `${file} changes in this change: the base is scored with its own config, so the delta includes the config change` };
  } catch (error) {
    const why = error instanceof ConfigError ? error.message : String(error);
    return { config: head, note: `the base's ${file} is not valid (${why}): the base is scored with this change's config` };
  }
}
