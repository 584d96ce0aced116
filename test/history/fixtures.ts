/** Shared test helpers: check reports built from corpus templates, and history records. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckReport, Fitness, Gate, TemplateCheck } from "../../src/fitness/types.js";
import { buildGraph } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import type { HistoryRecord } from "../../src/history/types.js";

export const CORPUS = new URL("../../../shared/corpus/", import.meta.url);

export function corpusText(relative: string): string {
  return readFileSync(fileURLToPath(new URL(relative, CORPUS)), "utf8");
}

const PASSED: Gate = { passed: true, threshold: null, maxDecrease: null, failures: [] };

export function fitness(score: number, rules: Record<string, number | null>, penalty = 3): Fitness {
  return {
    score,
    quality: score + penalty,
    rules: Object.entries(rules).map(([id, passRate]) => ({
      id,
      title: id,
      category: "security",
      weight: 1,
      configRuleIdentifier: null,
      passRate,
      results: [],
    })),
    complexity: { value: penalty * 10, penalty, lambda: 0.1, cap: 20, inputs: {} },
    suggestions: [],
    notes: [],
  };
}

/** A template check for a corpus template, with its real event graph and the given fitness. */
export function checkOf(relative: string, fit: Fitness | null): TemplateCheck {
  const parsed = parseTemplate(corpusText(relative), relative);
  if (!parsed.ok) {
    return {
      file: relative,
      ok: false,
      change: "modified",
      error: parsed.error,
      diagnostics: [],
      fitness: null,
      base: null,
      delta: null,
      gate: PASSED,
      graph: null,
      baseGraph: null,
    };
  }
  return {
    file: relative,
    ok: true,
    change: "modified",
    diagnostics: parsed.template.diagnostics,
    fitness: fit,
    base: null,
    delta: null,
    gate: PASSED,
    graph: buildGraph(parsed.template),
    baseGraph: null,
  };
}

export function reportOf(templates: TemplateCheck[]): CheckReport {
  return { templates, gate: PASSED, toolVersion: "0.1.0", configPath: null };
}

export function record(sha: string, score: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    sha,
    date: "2025-01-01T00:00:00.000Z",
    ref: "refs/heads/main",
    template: "template.yaml",
    toolVersion: "0.1.0",
    score,
    quality: score + 2,
    rules: { "s3-bucket-versioning-enabled": 0.5 },
    complexity: { value: 20, penalty: 2 },
    nodes: 5,
    edges: 4,
    ...overrides,
  };
}

/** n records, one a day from 2025-01-01, with SHAs that look like SHAs. */
export function series(scores: readonly number[], template = "template.yaml"): HistoryRecord[] {
  return scores.map((score, i) =>
    record(`${(i + 1).toString(16).padStart(4, "0")}${"abcdef0123456789".repeat(3)}`.slice(0, 40), score, {
      template,
      date: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    }),
  );
}
