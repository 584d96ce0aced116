import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { computeComplexity } from "../../src/fitness/complexity.js";
import { buildGraph, computeMetrics } from "../../src/graph/index.js";
import { FLOW_EDGE_KINDS } from "../../src/graph/metrics.js";
import type { EdgeKind, EventGraph, GraphEdge } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";

function graph(edgeList: [string, string, EdgeKind][], extraNodes: string[] = []): EventGraph {
  const ids = new Set<string>(extraNodes);
  for (const [a, b] of edgeList) ids.add(a).add(b);
  return {
    nodes: [...ids].map((id) => ({ id, type: "AWS::Lambda::Function", kind: "function" as const, line: 1 })),
    edges: edgeList.map(([from, to, kind]): GraphEdge => ({ from, to, kind, line: 1 })),
  };
}

describe("computeMetrics", () => {
  it("counts, fan-in/out, chain length in edges, components", () => {
    const m = computeMetrics(
      graph(
        [
          ["api", "a", "trigger"],
          ["a", "b", "invoke"],
          ["b", "dlq", "destination"],
          ["a", "table", "write"],
          ["c", "table", "read"],
        ],
        ["lonely"],
      ),
    );
    expect(m.nodes).toBe(7);
    expect(m.edges).toBe(5);
    expect(m.edgesByKind).toEqual({ trigger: 1, invoke: 1, destination: 1, write: 1, read: 1 });
    expect(m.nodesByKind).toEqual({ function: 7 });
    expect(m.maxFanOut).toEqual({ node: "a", value: 2 });
    expect(m.maxFanIn).toEqual({ node: "table", value: 2 });
    // api -> a -> b -> dlq; the write edge does not extend a trigger chain.
    expect(m.longestTriggerChain).toBe(3);
    expect(m.cycles).toEqual([]);
    expect(m.components).toBe(2);
  });

  it("cycles are strongly connected components and self loops of flow edges; a cycle counts once in a chain", () => {
    const m = computeMetrics(
      graph([
        ["x", "y", "invoke"],
        ["y", "x", "invoke"],
        ["y", "z", "trigger"],
        ["s", "s", "trigger"],
        ["p", "q", "read"],
        ["q", "p", "write"],
      ]),
    );
    // p reads q and q writes p: a read carries nothing onward, so no cycle.
    expect(m.cycles).toEqual([["s"], ["x", "y"]]);
    expect(m.longestTriggerChain).toBe(1);
  });

  it("a bucket triggering a function that reads it is no cycle; one that writes to it is, as in the complexity term", () => {
    const reads = graph([
      ["bucket", "fn", "trigger"],
      ["fn", "bucket", "read"],
      ["fn", "bucket", "reference"],
      ["fn", "hook", "hook"],
      ["hook", "fn", "invoke"],
    ]);
    const m = computeMetrics(reads);
    expect(m.cycles).toEqual([]);
    expect(computeComplexity(reads).inputs.cycleNodes).toBe(0);
    const writes = graph([
      ["bucket", "fn", "trigger"],
      ["fn", "bucket", "write"],
      ["fn", "out", "write"],
    ]);
    const w = computeMetrics(writes);
    expect(w.cycles).toEqual([["bucket", "fn"]]);
    expect(computeComplexity(writes).inputs.cycleNodes).toBe(2);
    // Writes extend a chain too: api -> fn -> table, with the same length in both places.
    const chain = graph([
      ["api", "fn", "trigger"],
      ["fn", "table", "write"],
      ["table", "other", "read"],
    ]);
    expect(computeMetrics(chain).longestTriggerChain).toBe(2);
    expect(computeComplexity(chain).inputs.longestChain).toBe(2);
    expect([...FLOW_EDGE_KINDS].sort()).toEqual(["destination", "invoke", "trigger", "write"]);
  });

  it("an empty graph", () => {
    const m = computeMetrics({ nodes: [], edges: [] });
    expect(m).toMatchObject({ nodes: 0, edges: 0, longestTriggerChain: 0, components: 0, maxFanOut: { node: null, value: 0 } });
  });

  it("a 10,000-node chain and a 10,000-node cycle do not overflow the stack", () => {
    const n = 10_000;
    const chain: [string, string, EdgeKind][] = [];
    for (let i = 0; i < n - 1; i++) chain.push([`f${i}`, `f${i + 1}`, "invoke"]);
    const started = performance.now();
    expect(computeMetrics(graph(chain)).longestTriggerChain).toBe(n - 1);
    chain.push([`f${n - 1}`, "f0", "invoke"]);
    const m = computeMetrics(graph(chain));
    expect(m.cycles).toHaveLength(1);
    expect(m.cycles[0]).toHaveLength(n);
    expect(m.longestTriggerChain).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("the seed template: a deployment hook invoking the functions it guards is no cycle (hook edges carry no events)", () => {
    const file = fileURLToPath(new URL("../../../shared/corpus/seed/evolutionary-template.yaml", import.meta.url));
    const parsed = parseTemplate(readFileSync(file, "utf8"), file);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const g = buildGraph(parsed.template);
    const m = computeMetrics(g);
    expect(m.cycles).toEqual([]);
    expect(computeComplexity(g).inputs.cycleNodes).toBe(0);
    expect(m.maxFanOut.node).toBe("preTrafficHook");
    expect(m.components).toBe(1);
  });
});
