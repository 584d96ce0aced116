import { dict, own } from "../tables.js";
import type { Delta, Fitness, RuleOutcome } from "./types.js";
import { aggregate, counts, shareOf } from "./aggregate.js";

/**
 * Why the score moved from base to head, attributed exactly:
 *
 *   contribution(r) = 100 x (w_r^h p_r^h / W^h - w_r^b p_r^b / W^b)
 *
 * with a term taken as 0 on a side where the rule does not apply (or is
 * absent, or has weight 0), W the sum of weights of the applicable rules on
 * that side. Summed over the union of rule ids this is exactly
 * quality^h - quality^b, whatever the rule sets and weights on either side.
 * A side with no applicable rule has quality 100 by definition: that is the
 * `baseline` term. complexity = penalty^b - penalty^h. So
 *
 *   head.score - base.score = sum(byRule) + baseline + complexity.
 *
 * Null when either side is missing (template added or deleted).
 */
export function compareFitness(base: Fitness | null, head: Fitness | null): Delta | null {
  if (!base || !head) return null;
  const b = side(base);
  const h = side(head);
  // Keyed by rule ids and logical IDs ("constructor", "__proto__" are valid ones): no prototype to collide with.
  const byRule = dict<number>();
  const byResource = dict<number>();
  for (const id of new Set([...h.rules.keys(), ...b.rules.keys()])) {
    const hr = h.rules.get(id);
    const br = b.rules.get(id);
    byRule[id] = shareOf(hr, h.total) - shareOf(br, b.total);
    addResources(byResource, hr, h.total, 1);
    addResources(byResource, br, b.total, -1);
  }
  return {
    score: head.score - base.score,
    byRule,
    complexity: base.complexity.penalty - head.complexity.penalty,
    byResource,
    baseline: (h.total > 0 ? 0 : 100) - (b.total > 0 ? 0 : 100),
  };
}

function side(fitness: Fitness): { rules: Map<string, RuleOutcome>; total: number } {
  const rules = new Map<string, RuleOutcome>();
  for (const o of fitness.rules) if (counts(o)) rules.set(o.id, o);
  return { rules, total: aggregate(fitness.rules).total };
}


function addResources(into: Record<string, number>, o: RuleOutcome | undefined, total: number, sign: 1 | -1): void {
  if (!o || total <= 0) return;
  const counted = o.results.filter((r) => r.status !== "suppressed");
  for (const r of counted) {
    const key = String(r.resource);
    const before = own(into, key) ?? 0;
    into[key] = before + (sign * 100 * o.weight * r.score) / (counted.length * total);
  }
}
