import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BUILTIN_RULE_IDS } from "../../rules/index.js";
import type { Rule } from "../fitness/types.js";
import { DEFAULT_CONFIG_PATH, defaultConfig } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { parseConfig } from "./parse.js";
import type { ResolvedConfig } from "./types.js";

const CATEGORIES = new Set(["security", "reliability", "operations", "cost", "performance"]);
/** A config file is a few kilobytes; anything this big is a mistake (or a trap). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The repository's files are untrusted on a pull request: a symbolic link
 * must not make the loader read (and quote in an error) a file outside the
 * repository, such as a runner's secrets, and a FIFO or device must not hang
 * it. A path given outside the repository without a link (a CLI user's own
 * file) is the caller's choice and allowed.
 */
async function checkFile(repoRoot: string, absolute: string, shown: string, file: string, key: string): Promise<void> {
  const real = await realpath(absolute);
  const inside = (dir: string, p: string): boolean => p === dir || p.startsWith(dir + path.sep);
  // Only a path that names a file in the repository must stay there once links are followed.
  if (inside(path.resolve(repoRoot), absolute)) {
    const root = await realpath(repoRoot).catch(() => path.resolve(repoRoot));
    if (!inside(root, real)) throw new ConfigError(file, key, null, `${shown} is a symbolic link to a file outside the repository`);
  }
  const info = await stat(real);
  if (!info.isFile()) throw new ConfigError(file, key, null, `${shown} is not a regular file`);
  if (info.size > MAX_CONFIG_BYTES) throw new ConfigError(file, key, null, `${shown} is ${Math.round(info.size / 1024)} KB; a config file over ${MAX_CONFIG_BYTES / 1024} KB is refused`);
}

/**
 * Reads the config file (default `.github/sam-fitness.yml` under
 * `repoRoot`; a missing default file means the defaults, a missing explicit
 * file is an error) and, only when `allow-code-rules: true`, imports the
 * `code-rules` modules. Code rules run with the permissions of the process:
 * on a pull request they are code written by whoever opened it.
 */
export interface LoadOptions {
  /**
   * False: never import code rules, whatever the file says (the Action sets
   * this from its own input, which the workflow controls and a pull request's
   * config file does not). Default true: the file decides.
   */
  allowCodeRules?: boolean;
}

export async function loadConfig(configPath: string | null, repoRoot: string, options: LoadOptions = {}): Promise<ResolvedConfig> {
  const relative = configPath ?? DEFAULT_CONFIG_PATH;
  const absolute = path.resolve(repoRoot, relative);
  let text: string;
  try {
    await checkFile(repoRoot, absolute, relative, relative, "(file)");
    text = await readFile(absolute, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (configPath === null && (error as NodeJS.ErrnoException).code === "ENOENT") return defaultConfig();
    throw new ConfigError(relative, "(file)", null, `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const config = parseConfig(text, relative);
  if (config.codeRules.length > 0) {
    if (config.allowCodeRules && options.allowCodeRules === false) {
      config.allowCodeRules = false;
      config.warnings.push(
        `code-rules not loaded: this run does not allow code from the repository (the Action's allow-code-rules input is off, or the run is for a fork or pull_request_target)`,
      );
    } else if (!config.allowCodeRules) {
      config.warnings.push(`code-rules not loaded: set allow-code-rules: true to run ${config.codeRules.length} JavaScript rule module(s) from the repository`);
    } else {
      const taken = new Set<string>([...BUILTIN_RULE_IDS, ...config.customRules.map((r) => r.id)]);
      for (const [i, modulePath] of config.codeRules.entries()) {
        for (const rule of await importRules(repoRoot, modulePath, `code-rules.${i}`, relative)) {
          if (taken.has(rule.id)) throw new ConfigError(relative, `code-rules.${i}`, null, `${modulePath}: rule id "${rule.id}" is already taken`);
          taken.add(rule.id);
          config.loadedRules.push(rule);
        }
      }
    }
    const known = new Set<string>([...BUILTIN_RULE_IDS, ...config.customRules.map((r) => r.id), ...config.loadedRules.map((r) => r.id)]);
    for (const id of Object.keys(config.rules)) {
      if (known.has(id)) continue;
      if (config.allowCodeRules) throw new ConfigError(relative, `rules.${id}`, null, `unknown rule id "${id}"`);
      config.warnings.push(`rules.${id}: not a built-in or custom rule (perhaps a code rule, which was not loaded)`);
    }
  }
  return config;
}

async function importRules(repoRoot: string, modulePath: string, key: string, file: string): Promise<Rule[]> {
  const root = path.resolve(repoRoot);
  const absolute = path.resolve(root, modulePath);
  if (absolute !== root && !absolute.startsWith(root + path.sep)) throw new ConfigError(file, key, null, `${modulePath} is outside the repository`);
  try {
    await stat(absolute);
  } catch {
    throw new ConfigError(file, key, null, `${modulePath} does not exist`);
  }
  await checkFile(root, absolute, modulePath, file, key);
  let mod: Record<string, unknown>;
  try {
    // The bundler must leave this import alone: the module is the user's file, read at run time.
    mod = (await import(/* webpackIgnore: true */ pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(file, key, null, `${modulePath} could not be loaded: ${(error as Error).message}`);
  }
  const exported = mod["default"] ?? mod["rules"] ?? mod["rule"];
  const candidates = Array.isArray(exported) ? exported : [exported];
  if (exported === undefined || candidates.length === 0) throw new ConfigError(file, key, null, `${modulePath} exports no rule (default export, or "rule" / "rules")`);
  return candidates.map((candidate, i) => checkRule(candidate, `${modulePath}${candidates.length > 1 ? `[${i}]` : ""}`, key, file));
}

/** Checks that a loaded module's export has the Rule interface. */
export function checkRule(candidate: unknown, where: string, key: string, file: string): Rule {
  const bad = (problem: string): never => {
    throw new ConfigError(file, key, null, `${where}: ${problem}`);
  };
  if (candidate === null || typeof candidate !== "object") return bad("the export is not a rule object");
  const r = candidate as Record<string, unknown>;
  if (typeof r["id"] !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(r["id"])) bad("id must be a kebab-case string");
  if (typeof r["title"] !== "string") bad("title must be a string");
  if (typeof r["category"] !== "string" || !CATEGORIES.has(r["category"])) bad(`category must be one of ${[...CATEGORIES].join(", ")}`);
  if (typeof r["weight"] !== "number" || !Number.isFinite(r["weight"]) || r["weight"] < 0) bad("weight must be a number >= 0");
  if (typeof r["evaluate"] !== "function") bad("evaluate must be a function");
  const appliesTo = Array.isArray(r["appliesTo"]) ? (r["appliesTo"] as unknown[]).filter((t): t is string => typeof t === "string") : [];
  const rule: Rule = {
    id: r["id"] as string,
    title: r["title"] as string,
    category: r["category"] as Rule["category"],
    weight: r["weight"] as number,
    appliesTo,
    docs: typeof r["docs"] === "string" ? r["docs"] : "",
    evaluate: (r["evaluate"] as Rule["evaluate"]).bind(candidate),
  };
  if (typeof r["configRuleIdentifier"] === "string") rule.configRuleIdentifier = r["configRuleIdentifier"];
  return rule;
}
