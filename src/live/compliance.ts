/**
 * Relates AWS Config's verdicts to our rules: which Config rule is which of
 * our rules, where the template's verdict and Config's differ, and which
 * Config rules we have no rule for. Pure.
 */
import type { Fitness, Rule } from "../fitness/types.js";
import type { ConfigRuleInfo } from "./config-service.js";
import type { LiveDisagreement, LiveResource } from "./types.js";

type RuleRef = Pick<Rule, "id" | "configRuleIdentifier">;

const kebab = (identifier: string): string => identifier.toLowerCase().replace(/_/g, "-");

/**
 * A Config rule's name as deployed by Security Hub or a conformance pack
 * (`securityhub-s3-bucket-versioning-enabled-0a1b2c`) reduced to the managed
 * rule's kebab name, as far as it can be.
 */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/^securityhub-/, "");
}

/** Our rule whose id or Config identifier the Config rule's name spells (longest match wins). */
function matchByName(name: string, rules: readonly RuleRef[]): string | null {
  const normal = normaliseName(name);
  let best: { id: string; length: number } | null = null;
  for (const rule of rules) {
    const spellings = [rule.id, ...(rule.configRuleIdentifier ? [kebab(rule.configRuleIdentifier)] : [])];
    for (const spelling of spellings) {
      if (normal !== spelling && !normal.startsWith(`${spelling}-`)) continue;
      if (!best || spelling.length > best.length) best = { id: rule.id, length: spelling.length };
    }
  }
  return best?.id ?? null;
}

/**
 * Maps each Config rule name to our rule's id (or null). Managed rules match
 * on `Source.SourceIdentifier` = our rule's `configRuleIdentifier`; rules
 * missing from `configRules` (not listed, or listing denied) match by name.
 */
export function mapConfigRules(
  names: Iterable<string>,
  configRules: readonly ConfigRuleInfo[] | null,
  rules: readonly RuleRef[],
): Map<string, string | null> {
  const byName = new Map((configRules ?? []).map((rule) => [rule.name, rule]));
  const byIdentifier = new Map<string, string>();
  for (const rule of rules) {
    if (rule.configRuleIdentifier) byIdentifier.set(rule.configRuleIdentifier.toUpperCase(), rule.id);
  }
  const mapping = new Map<string, string | null>();
  for (const name of names) {
    const known = byName.get(name);
    if (known) {
      mapping.set(name, known.identifier ? (byIdentifier.get(known.identifier.toUpperCase()) ?? null) : null);
    } else {
      mapping.set(name, matchByName(name, rules));
    }
  }
  return mapping;
}

/** Config rules that judged resources of the stack and match none of our rules, sorted. */
export function unmatchedConfigRules(resources: readonly LiveResource[]): string[] {
  const names = new Set<string>();
  for (const resource of resources) {
    for (const entry of resource.compliance) if (entry.ruleId === null) names.add(entry.configRule);
  }
  return [...names].sort();
}

/**
 * Where the template says pass and Config says NON_COMPLIANT, or the template
 * says fail and Config says COMPLIANT. Suppressed template results and
 * NOT_APPLICABLE / INSUFFICIENT_DATA verdicts never disagree.
 */
export function findDisagreements(templateFitness: Fitness | null | undefined, resources: readonly LiveResource[]): LiveDisagreement[] {
  if (!templateFitness) return [];
  const live = new Map(resources.map((resource) => [resource.logicalId, resource]));
  const found: LiveDisagreement[] = [];
  for (const outcome of templateFitness.rules) {
    for (const result of outcome.results) {
      if (result.status === "suppressed") continue;
      const resource = live.get(result.resource);
      if (!resource) continue;
      for (const entry of resource.compliance) {
        if (entry.ruleId !== outcome.id) continue;
        const clash =
          (result.status === "pass" && entry.compliance === "NON_COMPLIANT") ||
          (result.status === "fail" && entry.compliance === "COMPLIANT");
        if (!clash) continue;
        found.push({
          ruleId: outcome.id,
          resource: result.resource,
          configRule: entry.configRule,
          template: result.status,
          live: entry.compliance,
          ...(entry.annotation ? { annotation: entry.annotation } : {}),
        });
      }
    }
  }
  return found.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.resource.localeCompare(b.resource));
}
