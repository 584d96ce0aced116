/**
 * Mermaid's own parser, run in the test's jsdom environment (the test file
 * needs `// @vitest-environment jsdom`). `parseDiagram` returns the flowchart's
 * parsed vertices and edges with Mermaid's entity placeholders turned back
 * into characters, so tests can check labels came through unchanged.
 */
import DOMPurify from "dompurify";
import mermaid from "mermaid";

let level: "strict" | "loose" | null = null;

/**
 * Syntax checks run as GitHub does ("strict"); `parseDiagram` runs "loose", the
 * level at which Mermaid registers click callbacks, so an injected `click`
 * would show up in its result instead of being silently dropped.
 */
function init(wanted: "strict" | "loose"): void {
  if (level === wanted) return;
  mermaid.initialize({ startOnLoad: false, securityLevel: wanted });
  level = wanted;
}

export interface ParsedVertex {
  id: string;
  text: string;
  link?: string;
  classes: string[];
}

export interface ParsedFlowchart {
  vertices: ParsedVertex[];
  edges: { start: string; end: string; text: string }[];
  /** Click handlers and tooltips the diagram declares (a report's must have none). */
  clicks: number;
  tooltips: number;
}

/** Mermaid encodes `#34;` as placeholder characters until render time; turn them back into the character. */
function decode(text: string): string {
  return text.replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/ﬂ°(\w+)¶ß/g, "&$1;");
}

/**
 * Mermaid passes every label through DOMPurify while parsing; under jsdom that
 * costs most of the parse time. For syntax-only checks over thousands of
 * diagrams, label sanitising can be replaced by the identity (the grammar and
 * the parser are untouched). Returns a function restoring the real sanitiser.
 */
export function skipLabelSanitising(): () => void {
  const purifier = DOMPurify as unknown as { sanitize: (text: unknown) => unknown };
  const real = purifier.sanitize;
  purifier.sanitize = (text: unknown) => String(text);
  return () => {
    purifier.sanitize = real;
  };
}

export async function parseMermaid(text: string): Promise<void> {
  init("strict");
  await mermaid.parse(text);
}

interface FlowDb {
  getVertices(): Map<string, { id: string; text?: string; link?: string; classes?: string[]; haveCallback?: boolean }>;
  getEdges(): { start: string; end: string; text?: string }[];
  funs: unknown[];
  tooltips: Map<string, unknown> | Record<string, unknown>;
}

export async function parseDiagram(text: string): Promise<ParsedFlowchart> {
  init("loose");
  const api = (mermaid as unknown as { mermaidAPI: { getDiagramFromText(t: string): Promise<{ db: FlowDb }> } }).mermaidAPI;
  const { db } = await api.getDiagramFromText(text);
  const tooltips = db.tooltips instanceof Map ? db.tooltips.size : Object.keys(db.tooltips ?? {}).length;
  const vertices = [...db.getVertices().values()].map((v) => {
    const vertex: ParsedVertex = { id: v.id, text: decode(v.text ?? ""), classes: v.classes ?? [] };
    if (v.link) vertex.link = v.link;
    return vertex;
  });
  const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: decode(e.text ?? "") }));
  // `funs` always holds Mermaid's own tooltip set-up; anything more is a click handler.
  const callbacks = [...db.getVertices().values()].filter((v) => v.haveCallback).length;
  return { vertices, edges, clicks: Math.max(0, db.funs.length - 1) + callbacks, tooltips };
}
