import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import { buildGraph } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import { corpusFiles, INVALID_PATTERNS, readCorpus } from "../support/corpus.js";

function scoreFolder(folder: string): { scored: number; applied: Set<string> } {
  const applied = new Set<string>();
  let scored = 0;
  for (const file of corpusFiles(folder)) {
    const parsed = parseTemplate(readCorpus(file), file);
    if (!parsed.ok) {
      expect(INVALID_PATTERNS.has(file) || file.includes("/error_")).toBe(true);
      continue;
    }
    const fitness = scoreTemplate({ template: parsed.template, graph: buildGraph(parsed.template) }, defaultConfig());
    expect(Number.isFinite(fitness.score), file).toBe(true);
    expect(fitness.notes.filter((n) => n.includes("failed and was skipped")), file).toEqual([]);
    for (const r of fitness.rules) if (r.passRate !== null) applied.add(r.id);
    scored++;
  }
  return { scored, applied };
}

describe("every corpus template gets a score and no rule throws", () => {
  it("sam-translator inputs", () => {
    const { scored, applied } = scoreFolder("sam-translator/input");
    expect(scored).toBeGreaterThan(500);
    expect(applied.size).toBeGreaterThan(15);
  });
  it("sam-translator outputs", () => {
    expect(scoreFolder("sam-translator/output").scored).toBeGreaterThan(400);
  });
  it("serverless-patterns and the seed", () => {
    const { scored, applied } = scoreFolder("serverless-patterns");
    expect(scored).toBeGreaterThan(50);
    expect(applied.has("safe-deployments")).toBe(true);
    expect(scoreFolder("seed").scored).toBe(1);
  });
});
