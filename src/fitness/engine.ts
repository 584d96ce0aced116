import { aggregate, passRateOf, qualityOf } from "./aggregate.js";
import { computeComplexity } from "./complexity.js";
import { readSuppressions, suppressionOf, type Suppressions } from "./suppressions.js";
import type { Finding, Fitness, Rule, RuleContext, RuleOutcome, RuleResult, Suggestion } from "./types.js";

/** The complexity term's settings (the config's `lambda` and `complexity-cap`). */
export interface ScoringSettings {
  lambda: number;
  complexityCap: number;
}

/**
 * Scores one template:
 *   quality = 100 x sum(w_r x p_r) / sum(w_r)  over rules that apply (p_r = mean credit of the rule's
 *             non-suppressed results; 100 when no rule applies)
 *   score   = quality - complexity penalty
 * Pure and synchronous; `active` is the rule set to run, as the caller assembled it (src/app/rule-set.ts).
 * A rule that throws is reported in `notes` and left out.
 */
export function evaluateFitness(context: RuleContext, settings: ScoringSettings, active: readonly Rule[]): Fitness {
  const suppressions = readSuppressions(context.template, new Set(active.map((r) => r.id)));
  const notes = suppressions.notes;
  const outcomes = active.map((rule) => runRule(rule, context, suppressions, notes));

  const { weighted, total: totalWeight } = aggregate(outcomes);
  const quality = qualityOf(weighted, totalWeight);
  const complexity = computeComplexity(context.graph, settings.lambda, settings.complexityCap);
  return {
    score: quality - complexity.penalty,
    quality,
    rules: outcomes,
    complexity,
    suggestions: suggest(outcomes, weighted, totalWeight, quality),
    notes,
  };
}

function runRule(rule: Rule, context: RuleContext, suppressions: Suppressions, notes: string[]): RuleOutcome {
  const outcome: RuleOutcome = {
    id: rule.id,
    title: rule.title,
    category: rule.category,
    weight: Number.isFinite(rule.weight) && rule.weight > 0 ? rule.weight : 0,
    configRuleIdentifier: rule.configRuleIdentifier ?? null,
    passRate: null,
    results: [],
  };
  let findings: unknown;
  try {
    findings = rule.evaluate(context);
  } catch (error) {
    notes.push(`rule ${rule.id} failed and was skipped: ${error instanceof Error ? error.message : String(error)}`);
    return outcome;
  }
  if (!Array.isArray(findings)) {
    notes.push(`rule ${rule.id} returned no list of findings and was skipped`);
    return outcome;
  }
  for (const raw of findings as unknown[]) {
    const f = raw as Finding;
    if (f === null || typeof f !== "object" || typeof f.resource !== "string") {
      notes.push(`rule ${rule.id} returned a malformed finding; ignored`);
      continue;
    }
    let score = typeof f.score === "number" && Number.isFinite(f.score) ? f.score : 0;
    if (score !== f.score || score < 0 || score > 1) {
      notes.push(`rule ${rule.id}: score ${String(f.score)} for ${f.resource} is not within 0..1; clamped`);
      score = Math.min(1, Math.max(0, score));
    }
    const result: RuleResult = {
      resource: f.resource,
      status: (f.pass ?? score >= 1) ? "pass" : "fail",
      score,
      message: typeof f.message === "string" ? f.message : "",
      line: typeof f.line === "number" && f.line > 0 ? f.line : 1,
    };
    if (typeof f.fix === "string" && f.fix !== "" && score < 1) result.fix = f.fix;
    const suppression = suppressionOf(suppressions, f.resource, rule.id);
    if (suppression) {
      result.status = "suppressed";
      result.reason = suppression.reason;
    }
    outcome.results.push(result);
  }
  outcome.passRate = passRateOf(outcome.results);
  return outcome;
}

/**
 * For each (rule, resource) below full credit: the exact score gain if it
 * passed. Only that rule's pass rate changes (the set of applicable rules
 * and the complexity stay), so re-scoring is arithmetic on the sums.
 */
function suggest(outcomes: RuleOutcome[], weighted: number, totalWeight: number, quality: number): Suggestion[] {
  const out: Suggestion[] = [];
  for (const o of outcomes) {
    if (o.passRate === null || o.weight <= 0) continue;
    const counted = o.results.filter((r) => r.status !== "suppressed");
    for (const r of counted) {
      if (r.score >= 1) continue;
      const passRate = o.passRate + (1 - r.score) / counted.length;
      const gain = qualityOf(weighted - o.weight * o.passRate + o.weight * passRate, totalWeight) - quality;
      const s: Suggestion = { rule: o.id, resource: r.resource, gain, line: r.line };
      if (r.fix !== undefined) s.fix = r.fix;
      out.push(s);
    }
  }
  return out.sort((a, b) => b.gain - a.gain || a.rule.localeCompare(b.rule) || a.resource.localeCompare(b.resource));
}
