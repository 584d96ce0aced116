import { defaultConfig } from "../../src/config/defaults.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import type { Fitness, Rule } from "../../src/fitness/types.js";
import { contextOf } from "../rules/helpers.js";

export function score(text: string, config: Partial<ResolvedConfig> = {}, rules?: readonly Rule[]): Fitness {
  return scoreTemplate(contextOf(text), { ...defaultConfig(), ...config }, rules);
}

export function outcome(fitness: Fitness, id: string) {
  const o = fitness.rules.find((r) => r.id === id);
  if (!o) throw new Error(`rule ${id} not in the result`);
  return o;
}
