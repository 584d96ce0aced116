/**
 * The diagram's own model: the head graph, plus what the base graph had and
 * head lost, with each node and edge marked added / removed / changed /
 * same. Pure data; mermaid.ts turns it into text.
 */
import type { EdgeKind, EventGraph, GraphEdge, GraphNode, NodeKind } from "../graph/types.js";

export type DiffStatus = "same" | "added" | "removed" | "changed";

export interface DiagramNode {
  /** Logical ID (or, once collapsed, the group key). */
  key: string;
  name: string;
  kind: NodeKind;
  external: boolean;
  status: DiffStatus;
  /** How many resources the node stands for (1 unless collapsed). */
  count: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  status: DiffStatus;
  count: number;
}

export interface DiagramModel {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** True when a base graph was given, so statuses mean something. */
  diff: boolean;
}

const EDGE_KINDS: ReadonlySet<string> = new Set(["trigger", "read", "write", "invoke", "destination", "hook", "reference"]);

function nodesOf(graph: EventGraph | null | undefined): GraphNode[] {
  return graph && Array.isArray(graph.nodes) ? graph.nodes.filter((n) => n && typeof n === "object") : [];
}

function edgesOf(graph: EventGraph | null | undefined): GraphEdge[] {
  return graph && Array.isArray(graph.edges) ? graph.edges.filter((e) => e && typeof e === "object") : [];
}

function edgeKey(from: string, to: string, kind: string): string {
  return `${from}\u0000${to}\u0000${kind}`;
}

function nodeKind(node: GraphNode): NodeKind {
  if (node.kind === "external") return "external";
  return typeof node.kind === "string" ? node.kind : "other";
}

/** Merges head and base into one model with diff statuses. */
export function buildDiagramModel(
  head: EventGraph,
  base: EventGraph | null | undefined,
  changed: ReadonlySet<string> | undefined,
): DiagramModel {
  const diff = base !== undefined && base !== null;
  const nodes = new Map<string, DiagramNode>();
  const baseNodes = new Map<string, GraphNode>();
  for (const n of nodesOf(base)) baseNodes.set(String(n.id), n);

  const addNode = (n: GraphNode, status: DiffStatus): void => {
    const key = String(n.id);
    if (nodes.has(key)) return;
    const kind = nodeKind(n);
    nodes.set(key, { key, name: key, kind, external: kind === "external", status, count: 1 });
  };

  for (const n of nodesOf(head)) {
    const key = String(n.id);
    let status: DiffStatus = "same";
    if (diff) {
      const before = baseNodes.get(key);
      if (!before) status = "added";
      else if (before.type !== n.type || (changed?.has(key) ?? false)) status = "changed";
    } else if (changed?.has(key)) {
      status = "changed";
    }
    addNode(n, status);
  }
  for (const n of baseNodes.values()) addNode(n, "removed");

  const edges = new Map<string, DiagramEdge>();
  const ensureEndpoint = (id: string, status: DiffStatus): void => {
    if (!nodes.has(id)) nodes.set(id, { key: id, name: id, kind: "other", external: false, status, count: 1 });
  };
  const headEdgeKeys = new Set<string>();
  for (const e of edgesOf(head)) headEdgeKeys.add(edgeKey(String(e.from), String(e.to), String(e.kind)));
  const baseEdgeKeys = new Set<string>();
  for (const e of edgesOf(base)) baseEdgeKeys.add(edgeKey(String(e.from), String(e.to), String(e.kind)));

  const addEdge = (e: GraphEdge, status: DiffStatus): void => {
    const from = String(e.from);
    const to = String(e.to);
    const kind: EdgeKind = EDGE_KINDS.has(String(e.kind)) ? e.kind : "reference";
    const key = edgeKey(from, to, kind);
    if (edges.has(key)) return;
    ensureEndpoint(from, status);
    ensureEndpoint(to, status);
    edges.set(key, { from, to, kind, status, count: 1 });
  };
  for (const e of edgesOf(head)) {
    const key = edgeKey(String(e.from), String(e.to), String(e.kind));
    addEdge(e, diff && !baseEdgeKeys.has(key) ? "added" : "same");
  }
  for (const e of edgesOf(base)) {
    const key = edgeKey(String(e.from), String(e.to), String(e.kind));
    if (!headEdgeKeys.has(key)) addEdge(e, "removed");
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], diff };
}

/** True when anything in the model differs between base and head. */
export function hasChanges(model: DiagramModel): boolean {
  return model.nodes.some((n) => n.status !== "same") || model.edges.some((e) => e.status !== "same");
}

/**
 * The part of the model the change touches: every node or edge that is not
 * "same", plus the direct neighbours of those nodes, and the edges among them.
 */
export function changeNeighbourhood(model: DiagramModel): DiagramModel {
  const focus = new Set<string>();
  for (const n of model.nodes) if (n.status !== "same") focus.add(n.key);
  for (const e of model.edges) {
    if (e.status !== "same") {
      focus.add(e.from);
      focus.add(e.to);
    }
  }
  const keep = new Set(focus);
  for (const e of model.edges) {
    if (focus.has(e.from)) keep.add(e.to);
    if (focus.has(e.to)) keep.add(e.from);
  }
  return {
    nodes: model.nodes.filter((n) => keep.has(n.key)),
    edges: model.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
    diff: model.diff,
  };
}

function mergeStatus(statuses: Iterable<DiffStatus>): DiffStatus {
  const seen = new Set(statuses);
  if (seen.size === 1) return [...seen][0] ?? "same";
  return [...seen].some((s) => s !== "same") ? "changed" : "same";
}

function groupKeyOf(node: DiagramNode): string {
  return node.external ? "external" : node.kind;
}

/** One node per kind (external resources form one group), edges summed per (group, group, edge kind). */
export function collapseByKind(model: DiagramModel): DiagramModel {
  const groupOf = new Map<string, string>();
  const members = new Map<string, DiagramNode[]>();
  for (const n of model.nodes) {
    const g = groupKeyOf(n);
    groupOf.set(n.key, g);
    const list = members.get(g) ?? [];
    list.push(n);
    members.set(g, list);
  }
  const nodes: DiagramNode[] = [...members.entries()].map(([g, list]) => ({
    key: g,
    name: g,
    kind: list[0]?.kind ?? "other",
    external: g === "external",
    status: mergeStatus(list.map((n) => n.status)),
    count: list.reduce((sum, n) => sum + n.count, 0),
  }));
  const grouped = new Map<string, { edge: DiagramEdge; statuses: DiffStatus[] }>();
  for (const e of model.edges) {
    const from = groupOf.get(e.from) ?? "other";
    const to = groupOf.get(e.to) ?? "other";
    const key = edgeKey(from, to, e.kind);
    const entry = grouped.get(key);
    if (entry) {
      entry.edge.count += e.count;
      entry.statuses.push(e.status);
    } else {
      grouped.set(key, { edge: { from, to, kind: e.kind, status: e.status, count: e.count }, statuses: [e.status] });
    }
  }
  const edges = [...grouped.values()].map(({ edge, statuses }) => ({ ...edge, status: mergeStatus(statuses) }));
  return { nodes, edges, diff: model.diff };
}
