/**
 * Live fitness: the fitness model applied to AWS Config's verdicts instead of
 * the template's. Pure.
 *
 * - A rule counts when it has a Config counterpart that said COMPLIANT or
 *   NON_COMPLIANT about at least one resource of the stack.
 * - Per resource, the verdict is a fail when any matching Config rule says
 *   NON_COMPLIANT, else a pass (several Config rules may map to one of ours).
 * - A (rule, resource) the template suppresses stays suppressed.
 * - Weights are the template run's (config overrides included) when its
 *   fitness is given, else the rules' defaults; rules the template run left out
 *   (disabled) do not count.
 * - quality = 100 x sum(weight x passRate) / sum(weight); score = quality -
 *   the template's complexity penalty (the deployed graph is taken to be the
 *   template's: Config knows nothing of the event graph).
 */
import type { Complexity, Fitness, Rule, RuleOutcome, RuleResult, Suggestion } from "../fitness/types.js";
import type { Template } from "../template/types.js";
import type { LiveResource } from "./types.js";
import { aggregate, passRateOf, qualityOf } from "../fitness/aggregate.js";

const NO_COMPLEXITY: Complexity = { value: 0, penalty: 0, lambda: 0, cap: 0, inputs: {} };
const MAX_SUGGESTIONS = 10;

interface Verdict {
  pass: boolean;
  configRules: string[];
  annotation?: string;
}

function verdictsFor(ruleId: string, resources: readonly LiveResource[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const resource of resources) {
    for (const entry of resource.compliance) {
      if (entry.ruleId !== ruleId) continue;
      if (entry.compliance !== "COMPLIANT" && entry.compliance !== "NON_COMPLIANT") continue;
      const verdict = verdicts.get(resource.logicalId) ?? { pass: true, configRules: [] };
      verdict.configRules.push(entry.configRule);
      if (entry.compliance === "NON_COMPLIANT") {
        verdict.pass = false;
        if (entry.annotation && !verdict.annotation) verdict.annotation = entry.annotation;
      }
      verdicts.set(resource.logicalId, verdict);
    }
  }
  return verdicts;
}

/** 100 x weighted pass rate over the rules that have one; null when none has. */
function liveQuality(outcomes: readonly RuleOutcome[]): number | null {
  const { weighted, total } = aggregate(outcomes);
  return qualityOf(weighted, total, null);
}

function withResultPassing(outcomes: readonly RuleOutcome[], ruleId: string, resource: string): RuleOutcome[] {
  return outcomes.map((outcome) => {
    if (outcome.id !== ruleId) return outcome;
    const results = outcome.results.map((result) =>
      result.resource === resource && result.status === "fail" ? { ...result, status: "pass" as const, score: 1 } : result,
    );
    return { ...outcome, results, passRate: passRateOf(results) };
  });
}

export function liveFitness(
  rules: readonly Rule[],
  resources: readonly LiveResource[],
  template: Template,
  templateFitness: Fitness | null | undefined,
): Fitness | null {
  const templateOutcomes = new Map((templateFitness?.rules ?? []).map((outcome) => [outcome.id, outcome]));
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const fromTemplate = templateOutcomes.get(rule.id);
    if (templateFitness && !fromTemplate) continue;
    const verdicts = verdictsFor(rule.id, resources);
    if (verdicts.size === 0) continue;
    const results: RuleResult[] = [];
    for (const [resource, verdict] of [...verdicts].sort(([a], [b]) => a.localeCompare(b))) {
      const line = template.resources.get(resource)?.position.line ?? 0;
      const suppressed = fromTemplate?.results.find((result) => result.resource === resource && result.status === "suppressed");
      const said = `AWS Config ${verdict.configRules.join(", ")}: ${verdict.pass ? "COMPLIANT" : "NON_COMPLIANT"}`;
      const message = verdict.annotation ? `${said} (${verdict.annotation})` : said;
      if (suppressed) {
        results.push({ resource, status: "suppressed", score: 0, message, line, ...(suppressed.reason ? { reason: suppressed.reason } : {}) });
      } else {
        results.push({ resource, status: verdict.pass ? "pass" : "fail", score: verdict.pass ? 1 : 0, message, line });
      }
    }
    outcomes.push({
      id: rule.id,
      title: rule.title,
      category: rule.category,
      weight: fromTemplate?.weight ?? rule.weight,
      configRuleIdentifier: rule.configRuleIdentifier ?? null,
      passRate: passRateOf(results),
      results,
    });
  }

  const quality = liveQuality(outcomes);
  if (quality === null) return null;
  const complexity = templateFitness?.complexity ?? NO_COMPLEXITY;
  const score = quality - complexity.penalty;

  const suggestions: Suggestion[] = [];
  for (const outcome of outcomes) {
    const fix = rules.find((rule) => rule.id === outcome.id)?.docs;
    for (const result of outcome.results) {
      if (result.status !== "fail") continue;
      const improved = liveQuality(withResultPassing(outcomes, outcome.id, result.resource)) ?? quality;
      suggestions.push({
        rule: outcome.id,
        resource: result.resource,
        gain: improved - quality,
        line: result.line,
        ...(fix ? { fix: fix.split("\n")[0] as string } : {}),
      });
    }
  }
  suggestions.sort((a, b) => b.gain - a.gain || a.rule.localeCompare(b.rule) || a.resource.localeCompare(b.resource));

  const evaluated = outcomes.filter((outcome) => outcome.passRate !== null).length;
  return {
    score,
    quality,
    rules: outcomes,
    complexity,
    suggestions: suggestions.slice(0, MAX_SUGGESTIONS),
    notes: [
      `Live fitness covers the ${evaluated} rule(s) AWS Config evaluated on the deployed stack; ` +
        "the complexity penalty is the template's.",
    ],
  };
}
