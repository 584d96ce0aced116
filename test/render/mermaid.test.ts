// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { EventGraph } from "../../src/graph/types.js";
import { oneLine } from "../../src/render/escape.js";
import { renderMermaid } from "../../src/render/mermaid.js";
import { graphOf, graphOfText } from "./helpers/corpus.js";
import { EVIL_ID, hostileTemplate, hugeTemplate } from "./helpers/hostile.js";
import { parseDiagram } from "./helpers/mermaid-parser.js";
import { SEED, seedWithBucketFixed } from "./helpers/reports.js";

function seedGraph(): EventGraph {
  const g = graphOf(SEED);
  if (!g) throw new Error("seed template does not parse");
  return g;
}

/** The vertex Mermaid parsed for a logical ID, found by its label's first line. */
function vertexNamed(parsed: Awaited<ReturnType<typeof parseDiagram>>, name: string) {
  return parsed.vertices.find((v) => v.text.split("<br>")[0] === name);
}

describe("renderMermaid on the seed template", () => {
  it("draws every resource with a shape by kind and every edge labelled by kind", async () => {
    const graph = seedGraph();
    const { text, reduced } = renderMermaid(graph);
    expect(reduced).toBeNull();
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    const parsed = await parseDiagram(text);
    expect(parsed.vertices).toHaveLength(graph.nodes.length);
    expect(vertexNamed(parsed, "myFirstFunction")).toMatchObject({ text: "myFirstFunction<br>function", classes: ["compute"] });
    expect(vertexNamed(parsed, "encryptedTable")?.classes).toEqual(["data"]);
    expect(vertexNamed(parsed, "ServerlessRestApi")?.classes).toEqual(["entry"]);
    // Functions, tables, buckets and APIs get different shapes.
    const shapes = new Set(["myFirstFunction", "encryptedTable", "encryptedBucket", "ServerlessRestApi"].map((n) => text.split("\n").find((l) => l.includes(`"${n}<br/>`))?.replace(/^\s*n_\w+/, "").slice(0, 2)));
    expect(shapes.size).toBe(4);
    expect(parsed.edges.map((e) => e.text).sort()).toEqual(graph.edges.map((e) => e.kind).sort());
    // No diff, no legend.
    expect(text).not.toContain("Legend");
  });

  it("marks what a change adds, removes and changes, with a legend", async () => {
    const head = seedGraph();
    const base: EventGraph = {
      nodes: [...head.nodes.filter((n) => n.id !== "encryptedTable"), { id: "OldQueue", type: "AWS::SQS::Queue", kind: "queue", line: 3 }],
      edges: [...head.edges.filter((e) => e.to !== "encryptedTable"), { from: "preTrafficHook", to: "OldQueue", kind: "write", line: 4 }],
    };
    const { text } = renderMermaid(head, { base, changed: new Set(["unencryptedBucket"]) });
    const parsed = await parseDiagram(text);
    expect(vertexNamed(parsed, "encryptedTable")?.text).toBe("encryptedTable<br>table, added");
    expect(vertexNamed(parsed, "OldQueue")?.text).toBe("OldQueue<br>queue, removed");
    expect(vertexNamed(parsed, "unencryptedBucket")?.text).toBe("unencryptedBucket<br>bucket, changed");
    expect(vertexNamed(parsed, "myFirstFunction")?.text).toBe("myFirstFunction<br>function");
    expect(text).toMatch(/class (\w+,)*n_encryptedTable(,\w+)* added/);
    expect(text).toMatch(/class (\w+,)*n_OldQueue(,\w+)* removed/);
    expect(text).toMatch(/class (\w+,)*n_unencryptedBucket(,\w+)* changed/);
    expect(parsed.edges.find((e) => e.end === "n_encryptedTable")?.text).toBe("read (added)");
    expect(parsed.edges.find((e) => e.end === "n_OldQueue")?.text).toBe("write (removed)");
    // Removed edges are dashed, added ones thick, both restyled by index.
    expect(text).toContain("n_preTrafficHook -.->|\"write (removed)\"| n_OldQueue");
    expect(text).toContain("n_preTrafficHook ==>|\"read (added)\"| n_encryptedTable");
    expect(text).toMatch(/linkStyle \d+ stroke:#1a7f37/);
    expect(text).toContain('subgraph sg_legend["Legend"]');
  });

  it("shows the seed-vs-fixed diff without a legend when only rule results change", () => {
    const head = graphOfText(seedWithBucketFixed());
    const { text } = renderMermaid(head as EventGraph, { base: seedGraph(), changed: new Set() });
    expect(text).not.toContain("Legend");
    expect(text).not.toMatch(/added"|removed"|class \S+ (added|removed)/);
    expect(text).toContain('"unencryptedBucket<br/>bucket"');
  });
});

describe("ids and grouping", () => {
  it("gives logical IDs that sanitise alike distinct [A-Za-z0-9_] ids", async () => {
    const graph: EventGraph = {
      nodes: ["a-b", "a_b", "a.b", "end", "o", "x"].map((id, i) => ({ id, type: "AWS::SQS::Queue", kind: "queue" as const, line: i + 1 })),
      edges: [{ from: "a-b", to: "a.b", kind: "read", line: 1 }, { from: "o", to: "x", kind: "write", line: 1 }],
    };
    const { text } = renderMermaid(graph);
    const parsed = await parseDiagram(text);
    const ids = parsed.vertices.map((v) => v.id);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_]+$/);
    expect(parsed.edges).toEqual([
      { start: "n_a_b", end: "n_a_b_3", text: "read" },
      { start: "n_o", end: "n_x", text: "write" },
    ]);
  });

  it("puts external resources in their own subgraph", async () => {
    const graph: EventGraph = {
      nodes: [
        { id: "Fn", type: "AWS::Serverless::Function", kind: "function", line: 1 },
        { id: "arn:aws:sqs:us-east-1:123:jobs", type: "External", kind: "external", service: "queue", line: 2 },
      ],
      edges: [{ from: "arn:aws:sqs:us-east-1:123:jobs", to: "Fn", kind: "trigger", line: 3 }],
    };
    const { text } = renderMermaid(graph);
    expect(text).toMatch(/subgraph sg_external\["External resources"\]\n {4}n_arn_aws_sqs_us_east_1_123_jobs\["arn:aws:sqs:us-east-1:123:jobs<br\/>external"\]\n {2}end/);
    await parseDiagram(text);
  });

  it("survives malformed graphs: missing endpoints, odd kinds, null entries", async () => {
    const graph = {
      nodes: [null, { id: "A", type: "X", kind: "weird", line: 1 }],
      edges: [{ from: "A", to: "Ghost", kind: "bogus", line: 2 }, null],
    } as unknown as EventGraph;
    const { text } = renderMermaid(graph);
    const parsed = await parseDiagram(text);
    expect(parsed.vertices.map((v) => v.id).sort()).toEqual(["n_A", "n_Ghost"]);
    expect(parsed.edges[0]?.text).toBe("reference");
  });
});

describe("size limits", () => {
  const chain = (n: number): EventGraph => ({
    nodes: Array.from({ length: n }, (_, i) => ({ id: `Fn${i}`, type: "AWS::Serverless::Function", kind: "function" as const, line: i + 1 })),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ from: `Fn${i}`, to: `Fn${i + 1}`, kind: "invoke" as const, line: i + 1 })),
  });

  it("shows only the neighbourhood of the change when the diff is too big", async () => {
    const head = chain(40);
    const base: EventGraph = { nodes: head.nodes.slice(0, 39), edges: head.edges.slice(0, 38) };
    const { text, reduced } = renderMermaid(head, { base, maxEdges: 10 });
    expect(reduced).toMatch(/showing only the 3 resources the change touches and their direct neighbours/);
    const parsed = await parseDiagram(text);
    expect(parsed.vertices.map((v) => v.id).filter((id) => id.startsWith("n_")).sort()).toEqual(["n_Fn37", "n_Fn38", "n_Fn39"]);
  });

  it("groups by kind when there is no change to focus on, and never exceeds the limits", async () => {
    const { text, reduced } = renderMermaid(chain(40), { maxEdges: 10 });
    expect(reduced).toMatch(/grouped by kind/);
    const parsed = await parseDiagram(text);
    expect(parsed.vertices).toHaveLength(1);
    expect(parsed.edges[0]?.text).toBe("invoke ×39");
  });

  it("falls back to a single summary node when even the grouped diagram is too long", async () => {
    const { text, reduced } = renderMermaid(chain(40), { maxChars: 120 });
    expect(text.length).toBeLessThanOrEqual(120);
    expect(reduced).toMatch(/not drawn/);
    await parseDiagram(text);
  });

  it("reduces a 10,000-resource template to a diagram within GitHub's limits that parses", async () => {
    const graph = graphOfText(hugeTemplate(10_000)) as EventGraph;
    expect(graph.nodes).toHaveLength(10_000);
    const { text, reduced } = renderMermaid(graph);
    expect(text.length).toBeLessThanOrEqual(50_000);
    expect(reduced).toMatch(/10000 resources and 5000 connections/);
    const parsed = await parseDiagram(text);
    expect(parsed.edges.length).toBeLessThanOrEqual(500);
    expect(parsed.vertices.map((v) => v.text).sort()).toEqual(["function<br>5000 resources", "queue<br>5000 resources"]);
  });
});

describe("hostile template", () => {
  it("keeps every label a label: no directive, click, link or HTML gets through, and names round-trip", async () => {
    const graph = graphOfText(hostileTemplate()) as EventGraph;
    expect(graph.nodes.map((n) => n.id)).toContain(EVIL_ID);
    const base: EventGraph = { nodes: graph.nodes.slice(1), edges: [] };
    for (const options of [{}, { base, changed: new Set([EVIL_ID]) }]) {
      const { text } = renderMermaid(graph, options);
      expect(text).not.toContain("%%");
      expect(text).not.toMatch(/<(?!br\/>)/);
      expect(text).not.toContain("`");
      for (const line of text.split("\n").slice(1)) {
        // Outside quoted labels, only ids, arrows and keywords.
        expect(line.replace(/"[^"]*"/g, '""')).toMatch(/^\s*(?:[\w ]|[[\](){}/\\>]|-->|-\.->|==>|\|""\||""|:|,|#|-|\.)*$/);
      }
      const parsed = await parseDiagram(text);
      expect(parsed.clicks).toBe(0);
      expect(parsed.tooltips).toBe(0);
      expect(parsed.vertices.filter((v) => v.link)).toEqual([]);
      const names = parsed.vertices.filter((v) => v.id.startsWith("n_")).map((v) => v.text.split("<br>")[0]);
      expect(names.sort()).toEqual(graph.nodes.map((n) => oneLine(n.id, 80)).sort());
    }
  });
});
