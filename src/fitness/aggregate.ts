/**
 * How rule outcomes add up to the quality term, in one place (the engine,
 * the delta's attribution, the gate's explanation and the live score all use
 * it):
 *
 *   p_r     = mean credit of rule r's results that are not suppressed
 *   quality = 100 x sum(w_r x p_r) / sum(w_r)   over rules with a pass rate and w_r > 0
 */
import type { RuleOutcome, RuleResult } from "./types.js";

/** Mean credit of the results that are not suppressed; null when every one is (or there are none). */
export function passRateOf(results: readonly RuleResult[]): number | null {
  let sum = 0;
  let counted = 0;
  for (const r of results) {
    if (r.status === "suppressed") continue;
    sum += r.score;
    counted++;
  }
  return counted > 0 ? sum / counted : null;
}

/** Whether an outcome counts towards quality: it judged something and has weight. */
export function counts(o: RuleOutcome): o is RuleOutcome & { passRate: number } {
  return o.passRate !== null && o.weight > 0;
}

export interface Aggregate {
  /** sum(w_r x p_r) over the rules that count. */
  weighted: number;
  /** sum(w_r) over the rules that count; 0 when no rule applies. */
  total: number;
}

export function aggregate(outcomes: readonly RuleOutcome[]): Aggregate {
  let weighted = 0;
  let total = 0;
  for (const o of outcomes) {
    if (!counts(o)) continue;
    weighted += o.weight * o.passRate;
    total += o.weight;
  }
  return { weighted, total };
}

/** 100 x weighted pass rate; `empty` (100 for a template, null for the live score) when no rule applies. */
export function qualityOf<E extends number | null = number>(weighted: number, total: number, empty: E = 100 as E): number | E {
  return total > 0 ? (100 * weighted) / total : empty;
}

/** Rule r's share of the quality term: 100 x w_r x p_r / W (0 when it does not count). */
export function shareOf(o: RuleOutcome | undefined, total: number): number {
  return o && total > 0 && counts(o) ? (100 * o.weight * o.passRate) / total : 0;
}
