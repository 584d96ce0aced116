import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/graph/index.js";
import type { GraphEdge } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import { corpusFiles, readCorpus } from "../support/corpus.js";

/**
 * The SAM translator as an oracle: a SAM template (input X.yaml) and the
 * CloudFormation the translator makes of it (output X.json) describe the same
 * application, so every trigger edge of the translated output should also be
 * found in the SAM input.
 */

function triggerKeys(text: string, file: string): Set<string> | undefined {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) return undefined;
  const edges: GraphEdge[] = buildGraph(parsed.template).edges;
  return new Set(edges.filter((e) => e.kind === "trigger").map((e) => `${e.from} -> ${e.to}`));
}

describe("trigger edges: SAM input vs translated output", () => {
  it("finds at least 98% of the translated output's trigger edges in the SAM input", () => {
    const inputs = corpusFiles("sam-translator/input", (name) => !name.startsWith("error_") && name.endsWith(".yaml"));
    let compared = 0;
    let found = 0;
    let pairs = 0;
    let extra = 0;
    const misses: string[] = [];
    for (const input of inputs) {
      const output = input.replace("/input/", "/output/").replace(/\.yaml$/, ".json");
      let outputText: string;
      try {
        outputText = readCorpus(output);
      } catch {
        continue; // no translated counterpart
      }
      const expected = triggerKeys(outputText, output);
      const actual = triggerKeys(readCorpus(input), input);
      if (!expected || !actual) continue;
      pairs++;
      for (const edge of expected) {
        compared++;
        if (actual.has(edge)) found++;
        else misses.push(`${input.replace("sam-translator/input/", "")}: ${edge}`);
      }
      for (const edge of actual) if (!expected.has(edge)) extra++;
    }
    const share = compared === 0 ? 0 : found / compared;
    console.log(`oracle: ${found}/${compared} trigger edges of the translated outputs found in the SAM inputs (${(share * 100).toFixed(2)}%) over ${pairs} pairs`);
    console.log(`oracle: ${extra} trigger edges of the SAM inputs are not in the translated outputs`);
    if (misses.length > 0) console.log(`oracle misses (${misses.length}):\n  ${misses.join("\n  ")}`);
    expect(pairs).toBeGreaterThan(400);
    expect(compared).toBeGreaterThan(380);
    expect(share).toBeGreaterThanOrEqual(0.98);
  });
});
