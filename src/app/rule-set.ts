/**
 * The one place the active rule set is assembled: the built-in rules, the
 * config's declarative custom rules and its loaded code rules, with the
 * config's switches and weights applied. The CLI, the Action, SARIF, the live
 * check and the docs all take their rules from here, so the scoring core
 * (src/fitness) knows no rule and no config.
 */
import { BUILTIN_RULES } from "../../rules/index.js";
import type { ResolvedConfig } from "../config/types.js";
import { evaluateFitness } from "../fitness/engine.js";
import type { Fitness, Rule, RuleContext } from "../fitness/types.js";
import { own } from "../tables.js";

/** Every rule a config can run, enabled or not (for SARIF rule metadata and docs). */
export function allRules(config: ResolvedConfig): Rule[] {
  return [...BUILTIN_RULES, ...config.customRules, ...config.loadedRules];
}

/** The rules a config runs: all of them (or `rules`) minus disabled ones, with weights overridden. */
export function activeRules(config: ResolvedConfig, rules: readonly Rule[] = allRules(config)): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    // A rule id such as "constructor" must not pick up a member of Object.prototype.
    const setting = own(config.rules, rule.id);
    if (setting?.enabled === false) continue;
    out.push(setting?.weight !== undefined ? { ...rule, weight: setting.weight } : rule);
  }
  return out;
}

/** Scores one template with the rules and the complexity settings of a config. */
export function scoreTemplate(context: RuleContext, config: ResolvedConfig, rules?: readonly Rule[]): Fitness {
  return evaluateFitness(context, config, activeRules(config, rules));
}
