/**
 * The event graph as a Mermaid `flowchart LR`, the way GitHub renders it
 * (Mermaid 11): shapes and colours by kind, edges labelled by kind, external
 * resources in their own subgraph, and, given a base graph, a diff view with
 * a legend. Every label is quoted and escaped (see escape.ts); node ids are
 * `n_` + the logical ID reduced to `[A-Za-z0-9_]`, made unique.
 *
 * Size: GitHub refuses diagrams over 50,000 characters or 500 edges. A graph
 * over either limit is reduced, in this order, until it fits:
 *   1. when base and head differ: only the nodes the change touches and their
 *      direct neighbours;
 *   2. one node per kind of resource, edges counted per (kind, kind, edge kind);
 *   3. a single node saying how big the graph is.
 * The result says which reduction was made in `reduced`.
 */
import type { EventGraph, NodeKind } from "../graph/types.js";
import {
  buildDiagramModel,
  changeNeighbourhood,
  collapseByKind,
  hasChanges,
  type DiagramEdge,
  type DiagramModel,
  type DiagramNode,
  type DiffStatus,
} from "./diagram-model.js";
import { escapeMermaid, mermaidIdPart } from "./escape.js";

export const MERMAID_MAX_CHARS = 50_000;
export const MERMAID_MAX_EDGES = 500;

export interface MermaidOptions {
  /** The base graph: when given, the diagram shows what the change adds, removes and changes. */
  base?: EventGraph | null;
  /** Logical IDs of head resources whose rule results changed. */
  changed?: ReadonlySet<string>;
  maxChars?: number;
  maxEdges?: number;
}

export interface MermaidResult {
  text: string;
  /** Why and how the diagram was reduced to fit, or null when it shows the whole graph. */
  reduced: string | null;
}

type Shape = readonly [open: string, close: string];

const SHAPES: Partial<Record<NodeKind, Shape>> = {
  function: ["(", ")"],
  "state-machine": ["[[", "]]"],
  api: ["{{", "}}"],
  "graphql-api": ["{{", "}}"],
  table: ["[(", ")]"],
  database: ["[(", ")]"],
  cache: ["[(", ")]"],
  "file-system": ["[(", ")]"],
  bucket: ["[/", "/]"],
  queue: ["([", "])"],
  topic: [">", "]"],
  "event-bus": [">", "]"],
  stream: ["[/", "\\]"],
  rule: ["((", "))"],
  schedule: ["((", "))"],
};
const DEFAULT_SHAPE: Shape = ["[", "]"];

/** Colour family of each kind (fill only: the diff status owns the border). */
const KIND_CLASS: Partial<Record<NodeKind, string>> = {
  function: "compute",
  "state-machine": "compute",
  api: "entry",
  "graphql-api": "entry",
  "user-pool": "entry",
  table: "data",
  database: "data",
  cache: "data",
  "file-system": "data",
  bucket: "data",
  secret: "data",
  "parameter-store": "data",
  key: "data",
  queue: "messaging",
  topic: "messaging",
  "event-bus": "messaging",
  stream: "messaging",
  rule: "messaging",
  schedule: "messaging",
  pipe: "messaging",
  "iot-rule": "messaging",
  external: "external",
};

const CLASS_DEFS: readonly (readonly [name: string, style: string])[] = [
  ["compute", "fill:#fff1e0,stroke:#b35900,color:#1f2328"],
  ["entry", "fill:#f1e8ff,stroke:#6639ba,color:#1f2328"],
  ["data", "fill:#e3efff,stroke:#0a5dc2,color:#1f2328"],
  ["messaging", "fill:#ffe8f1,stroke:#b3245c,color:#1f2328"],
  ["plain", "fill:#f4f4f4,stroke:#59636e,color:#1f2328"],
  ["external", "fill:#ffffff,stroke:#59636e,stroke-dasharray:4 3,color:#1f2328"],
  ["added", "stroke:#1a7f37,stroke-width:3px"],
  ["removed", "stroke:#8c959f,stroke-width:2px,stroke-dasharray:6 4,opacity:0.55"],
  ["changed", "stroke:#9a6700,stroke-width:3px"],
];

const EDGE_LINK_STYLE: Record<Exclude<DiffStatus, "same">, string> = {
  added: "stroke:#1a7f37,stroke-width:3px",
  removed: "stroke:#8c959f,stroke-width:1.5px,stroke-dasharray:6 4,opacity:0.55",
  changed: "stroke:#9a6700,stroke-width:2px",
};

const LEGEND: readonly (readonly [Exclude<DiffStatus, "same">, string])[] = [
  ["added", "added"],
  ["removed", "removed"],
  ["changed", "changed: type or rule results"],
];

const STATUS_WORD: Record<DiffStatus, string> = { same: "", added: "added", removed: "removed", changed: "changed" };

function nodeLabel(node: DiagramNode, collapsed: boolean): string {
  const detail = collapsed ? `${node.count} ${node.count === 1 ? "resource" : "resources"}` : node.kind;
  const status = STATUS_WORD[node.status];
  const second = status ? `${detail}, ${status}` : detail;
  return `"${escapeMermaid(node.name)}<br/>${escapeMermaid(second)}"`;
}

function edgeLabel(edge: DiagramEdge): string {
  const count = edge.count > 1 ? ` ×${edge.count}` : "";
  const status = STATUS_WORD[edge.status];
  return `"${escapeMermaid(edge.kind + count + (status ? ` (${status})` : ""))}"`;
}

function arrow(edge: DiagramEdge): string {
  if (edge.status === "removed" || edge.kind === "reference") return "-.->";
  if (edge.status === "added") return "==>";
  return "-->";
}

/** Assigns every node a unique `[A-Za-z0-9_]` id. */
function assignIds(nodes: readonly DiagramNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    const stem = "n_" + mermaidIdPart(n.key);
    let id = stem;
    for (let i = 2; used.has(id); i++) id = `${stem}_${i}`;
    used.add(id);
    ids.set(n.key, id);
  }
  return ids;
}

function pushClass(lines: string[], name: string, ids: readonly string[]): void {
  // Long `class` lines are split so no single line grows without bound.
  for (let i = 0; i < ids.length; i += 50) lines.push(`  class ${ids.slice(i, i + 50).join(",")} ${name}`);
}

/** Writes the model as Mermaid text. Pure formatting: no size checks. */
export function formatModel(model: DiagramModel, collapsed = false): string {
  const ids = assignIds(model.nodes);
  const lines: string[] = ["flowchart LR"];
  const nodeLine = (n: DiagramNode, indent: string): string => {
    const [open, close] = SHAPES[n.kind] ?? DEFAULT_SHAPE;
    return `${indent}${ids.get(n.key)}${open}${nodeLabel(n, collapsed)}${close}`;
  };
  const internal = model.nodes.filter((n) => !n.external);
  const external = model.nodes.filter((n) => n.external);
  for (const n of internal) lines.push(nodeLine(n, "  "));
  if (external.length > 0) {
    lines.push('  subgraph sg_external["External resources"]');
    for (const n of external) lines.push(nodeLine(n, "    "));
    lines.push("  end");
  }
  for (const e of model.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from && to) lines.push(`  ${from} ${arrow(e)}|${edgeLabel(e)}| ${to}`);
  }
  // The legend lists the statuses the diagram uses (only in a diff with changes).
  const present = new Set<DiffStatus>([...model.nodes.map((n) => n.status), ...model.edges.map((e) => e.status)]);
  const legend = model.diff ? LEGEND.filter(([status]) => present.has(status)) : [];
  if (legend.length) {
    lines.push('  subgraph sg_legend["Legend"]');
    for (const [status, text] of legend) lines.push(`    legend_${status}["${text}"]`);
    lines.push("  end");
  }
  const byClass = new Map<string, string[]>();
  const addTo = (cls: string, id: string): void => {
    const list = byClass.get(cls) ?? [];
    list.push(id);
    byClass.set(cls, list);
  };
  for (const n of model.nodes) addTo(KIND_CLASS[n.kind] ?? "plain", ids.get(n.key) ?? "");
  for (const n of model.nodes) if (n.status !== "same") addTo(n.status, ids.get(n.key) ?? "");
  for (const [status] of legend) {
    addTo("plain", `legend_${status}`);
    addTo(status, `legend_${status}`);
  }
  // Only the classes in use are defined: kinds first, then the diff statuses (which set the border).
  for (const [name, style] of CLASS_DEFS) if (byClass.has(name)) lines.push(`  classDef ${name} ${style}`);
  for (const [name] of CLASS_DEFS) pushClass(lines, name, byClass.get(name) ?? []);
  const drawn = model.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  for (const status of ["added", "removed", "changed"] as const) {
    const indexes = drawn.flatMap((e, i) => (e.status === status ? [i] : []));
    for (let i = 0; i < indexes.length; i += 50) {
      lines.push(`  linkStyle ${indexes.slice(i, i + 50).join(",")} ${EDGE_LINK_STYLE[status]}`);
    }
  }
  return lines.join("\n") + "\n";
}

function fits(text: string, model: DiagramModel, maxChars: number, maxEdges: number): boolean {
  return text.length <= maxChars && model.edges.length <= maxEdges;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Renders the head graph (optionally as a diff against base) as a Mermaid flowchart within GitHub's limits. */
export function renderMermaid(head: EventGraph, options: MermaidOptions = {}): MermaidResult {
  const maxChars = options.maxChars ?? MERMAID_MAX_CHARS;
  const maxEdges = options.maxEdges ?? MERMAID_MAX_EDGES;
  const model = buildDiagramModel(head, options.base, options.changed);
  const full = formatModel(model);
  if (fits(full, model, maxChars, maxEdges)) return { text: full, reduced: null };

  const size = `${plural(model.nodes.length, "resource")} and ${plural(model.edges.length, "connection")}`;
  const limits = `over the diagram limits (${maxChars.toLocaleString("en-US")} characters, ${maxEdges} edges)`;
  if (model.diff && hasChanges(model)) {
    const near = changeNeighbourhood(model);
    const text = formatModel(near);
    if (fits(text, near, maxChars, maxEdges)) {
      return {
        text,
        reduced: `The graph has ${size}, ${limits}: showing only the ${plural(near.nodes.length, "resource")} the change touches and their direct neighbours.`,
      };
    }
  }
  const grouped = collapseByKind(model);
  const groupedText = formatModel(grouped, true);
  if (fits(groupedText, grouped, maxChars, maxEdges)) {
    return {
      text: groupedText,
      reduced: `The graph has ${size}, ${limits}: resources are grouped by kind, one box per kind, edges counted per pair of kinds.`,
    };
  }
  const summary = `flowchart LR\n  n_summary["${escapeMermaid(`${size}: too large to draw`)}"]\n`;
  return { text: summary, reduced: `The graph has ${size}, ${limits} even when grouped by kind: not drawn.` };
}
