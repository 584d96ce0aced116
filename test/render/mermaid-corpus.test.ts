// @vitest-environment jsdom
/**
 * Every diagram for every corpus template, alone and as a diff against a
 * mutated copy of its graph, must parse with Mermaid's own parser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventGraph } from "../../src/graph/types.js";
import { renderMermaid } from "../../src/render/mermaid.js";
import { corpusFiles, graphOf } from "./helpers/corpus.js";
import { parseMermaid, skipLabelSanitising } from "./helpers/mermaid-parser.js";

/** The base a PR would have come from: the head's last resource missing, and one that the PR deleted. */
function mutatedBase(head: EventGraph): EventGraph {
  const dropped = head.nodes[head.nodes.length - 1]?.id;
  const nodes = head.nodes.filter((n) => n.id !== dropped);
  const edges = head.edges.filter((e) => e.from !== dropped && e.to !== dropped);
  nodes.push({ id: "Deleted-Queue.1", type: "AWS::SQS::Queue", kind: "queue", line: 1 });
  const first = head.nodes[0]?.id;
  if (first && first !== dropped) edges.push({ from: first, to: "Deleted-Queue.1", kind: "write", line: 1 });
  return { nodes, edges };
}

const FOLDERS: [string, string[]][] = [
  ["seed", [".yaml"]],
  ["serverless-patterns", [".yaml", ".yml", ".json"]],
  ["sam-translator/input", [".yaml"]],
  ["sam-translator/output", [".json"]],
];

describe("every corpus diagram parses with Mermaid", () => {
  // Syntax check only: label sanitising is what makes jsdom slow (see the helper).
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = skipLabelSanitising();
  });
  afterAll(() => restore());

  for (const [folder, extensions] of FOLDERS) {
    it(folder, async () => {
      const files = corpusFiles(folder, extensions);
      let checked = 0;
      const failures: string[] = [];
      for (const file of files) {
        const head = graphOf(file);
        if (!head) continue;
        const changed = new Set(head.nodes.slice(0, 2).map((n) => n.id));
        const alone = renderMermaid(head);
        const diff = renderMermaid(head, { base: mutatedBase(head), changed });
        for (const [name, result] of [["alone", alone], ["diff", diff]] as const) {
          expect(result.text.length).toBeLessThanOrEqual(50_000);
          try {
            await parseMermaid(result.text);
          } catch (error) {
            failures.push(`${file} (${name}): ${String(error).slice(0, 300)}`);
          }
        }
        checked++;
      }
      expect(failures).toEqual([]);
      // Most of the corpus parses; a folder where nothing was checked would make this test empty.
      expect(checked).toBeGreaterThan(folder === "seed" ? 0 : 50);
    }, 120_000);
  }
});
