export { parseConfig } from "./parse.js";
export { loadConfig, checkRule } from "./load.js";
export { DEFAULT_CONFIG, DEFAULT_CONFIG_PATH, defaultConfig } from "./defaults.js";
export { ConfigError } from "./errors.js";
export { compileCustomRule } from "./custom-rules.js";
export type * from "./types.js";
