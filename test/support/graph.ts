import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { buildGraph } from "../../src/graph/index.js";
import type { EventGraph, GraphEdge } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import { readCorpus } from "./corpus.js";

/** The event graph of template text; a template that does not parse fails the test. */
export function graphOf(text: string, file = "inline.yaml"): EventGraph {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error.message}`);
  return buildGraph(parsed.template);
}

/** The event graph of a file given by its path. */
export function graphOfFile(path: string): EventGraph {
  return graphOf(readFileSync(path, "utf8"), path);
}

/** The graph of a corpus template (path relative to the corpus) and its lines, to check edge lines against. */
export function corpusGraph(file: string): { graph: EventGraph; lines: string[] } {
  const text = readCorpus(file);
  return { graph: graphOf(text, file), lines: text.split("\n") };
}

/** The edge from -kind-> to; fails with the graph's edges listed when there is none. */
export function edge(graph: EventGraph, from: string, to: string, kind = "trigger"): GraphEdge {
  const found = graph.edges.find((e) => e.from === from && e.to === to && e.kind === kind);
  if (!found) throw new Error(`no ${kind} edge ${from} -> ${to}; edges: ${graph.edges.map((e) => `${e.from}-${e.kind}->${e.to}`).join(", ")}`);
  return found;
}

/** The edge exists in a corpus template, on `line`, and that line writes `property`. */
export function expectEdgeAt(file: string, from: string, to: string, kind: string, line: number, property: string): GraphEdge {
  const { graph, lines } = corpusGraph(file);
  const found = edge(graph, from, to, kind);
  expect(found.line).toBe(line);
  expect(lines[line - 1]).toContain(property);
  return found;
}

/** The graph's edges of the given kinds as sorted `from -kind-> to` strings. */
export function edgeList(graph: EventGraph, ...kinds: string[]): string[] {
  return graph.edges
    .filter((e) => kinds.includes(e.kind))
    .map((e) => `${e.from} -${e.kind}-> ${e.to}`)
    .sort();
}
