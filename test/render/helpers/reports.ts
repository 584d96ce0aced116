/**
 * Check reports for the renderer tests: real ones from the check pipeline on
 * corpus templates, and small hand-built ones for edge cases.
 */
import { checkTemplates, type TemplateInput } from "../../../src/app/check.js";
import { defaultConfig } from "../../../src/config/index.js";
import type { CheckReport, Fitness, RuleOutcome, RuleResult, TemplateCheck } from "../../../src/fitness/types.js";
import type { EventGraph } from "../../../src/graph/types.js";
import { readCorpus } from "./corpus.js";

export const SEED = "seed/evolutionary-template.yaml";

/** The seed template with its unencrypted bucket given default encryption (the fix a PR would make). */
export function seedWithBucketFixed(): string {
  const text = readCorpus(SEED);
  const before = "  unencryptedBucket:\n    Type: 'AWS::S3::Bucket'\n";
  if (!text.includes(before)) throw new Error("the seed template changed: update seedWithBucketFixed");
  return text.replace(
    before,
    before + "    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n",
  );
}

export function runCheck(inputs: TemplateInput[], gate: { threshold?: number | null; maxDecrease?: number | null } = {}): CheckReport {
  return checkTemplates(inputs, defaultConfig(), {
    toolVersion: "0.1.0",
    configPath: ".github/sam-fitness.yml",
    threshold: gate.threshold ?? null,
    maxDecrease: gate.maxDecrease ?? null,
    // Reports (and their snapshots) must not change as runtimes reach their end of support.
    date: "2026-11-29",
  });
}

/** The seed template as a PR fixing its unencrypted bucket: base = seed, head = fixed. */
export function seedFixReport(): CheckReport {
  return runCheck([{ file: "template.yaml", head: seedWithBucketFixed(), base: readCorpus(SEED) }], { threshold: 40, maxDecrease: 2 });
}

export function result(resource: string, status: RuleResult["status"], line: number, message = "", fix?: string): RuleResult {
  const r: RuleResult = { resource, status, score: status === "pass" ? 1 : 0, message, line };
  if (fix) r.fix = fix;
  return r;
}

export function outcome(id: string, results: RuleResult[], weight = 2, title = `Title of ${id}`): RuleOutcome {
  const counted = results.filter((r) => r.status !== "suppressed");
  const passRate = counted.length ? counted.reduce((s, r) => s + r.score, 0) / counted.length : null;
  return { id, title, category: "security", weight, configRuleIdentifier: null, passRate, results };
}

export function fitness(score: number, rules: RuleOutcome[], extra: Partial<Fitness> = {}): Fitness {
  return {
    score,
    quality: score,
    rules,
    complexity: { value: 4, penalty: 0.4, lambda: 0.1, cap: 10, inputs: { nodes: 3, edges: 2 } },
    suggestions: [],
    notes: [],
    ...extra,
  };
}

export function templateCheck(file: string, head: Fitness | null, base: Fitness | null, graphs: { head?: EventGraph | null; base?: EventGraph | null } = {}): TemplateCheck {
  return {
    file,
    ok: true,
    change: base ? "modified" : "no-base",
    diagnostics: [],
    fitness: head,
    base,
    delta: head && base ? { score: head.score - base.score, byRule: {}, complexity: 0 } : null,
    gate: { passed: true, threshold: null, maxDecrease: null, failures: [] },
    graph: graphs.head ?? null,
    baseGraph: graphs.base ?? null,
  };
}

export function report(templates: TemplateCheck[], configPath: string | null = null): CheckReport {
  const failures = templates.flatMap((t) => t.gate.failures.map((f) => `${t.file}: ${f}`));
  return { templates, gate: { passed: failures.length === 0, threshold: null, maxDecrease: null, failures }, toolVersion: "0.1.0", configPath };
}
