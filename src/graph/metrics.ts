import { dict } from "../tables.js";
import { cycleMembers, longestChain, stronglyConnected } from "./scc.js";
import type { EdgeKind, EventGraph, GraphMetrics } from "./types.js";

/**
 * Edge kinds along which events or data flow onward: trigger, invoke,
 * destination and write. Trigger chains and cycles are measured on these
 * only, here and in the complexity term (src/fitness/complexity.ts): a
 * function that reads the bucket that triggers it is not a loop, one that
 * writes to it is.
 */
export const FLOW_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set<EdgeKind>(["trigger", "invoke", "destination", "write"]);

/**
 * Metrics of an event graph. Linear in nodes + edges, iterative throughout
 * (no recursion), so graphs of tens of thousands of nodes are fine.
 *
 * Cycles and the longest trigger chain are both measured on the flow
 * subgraph (FLOW_EDGE_KINDS). Cycles are its strongly connected components
 * with more than one node, or a self loop. The longest chain is measured on
 * its condensation: strongly connected components become single vertices (a
 * cycle counts once, with its internal edges not repeated), then the longest
 * path in that DAG is found in topological order. It is reported as a number
 * of edges.
 */
export function computeMetrics(graph: EventGraph): GraphMetrics {
  const ids = graph.nodes.map((n) => n.id);
  const index = new Map<string, number>();
  for (const id of ids) if (!index.has(id)) index.set(id, index.size);
  for (const e of graph.edges) {
    if (!index.has(e.from)) index.set(e.from, index.size);
    if (!index.has(e.to)) index.set(e.to, index.size);
  }
  const names = [...index.keys()];
  const n = names.length;

  const nodesByKind = dict<number>();
  for (const node of graph.nodes) nodesByKind[node.kind] = (nodesByKind[node.kind] ?? 0) + 1;
  const edgesByKind = dict<number>();
  const fanOut = new Array<number>(n).fill(0);
  const fanIn = new Array<number>(n).fill(0);
  const flow: number[][] = Array.from({ length: n }, () => []);
  const uf = new UnionFind(n);
  for (const e of graph.edges) {
    edgesByKind[e.kind] = (edgesByKind[e.kind] ?? 0) + 1;
    const a = index.get(e.from) as number;
    const b = index.get(e.to) as number;
    fanOut[a]! += 1;
    fanIn[b]! += 1;
    if (FLOW_EDGE_KINDS.has(e.kind)) flow[a]!.push(b);
    uf.union(a, b);
  }

  const cycles: string[][] = [];
  const { component, count } = stronglyConnected(flow);
  for (const list of cycleMembers(flow, component, count)) cycles.push(list.map((i) => names[i] as string).sort());
  cycles.sort((x, y) => (x[0] as string).localeCompare(y[0] as string));

  const roots = new Set<number>();
  for (let v = 0; v < n; v++) roots.add(uf.find(v));

  return {
    nodes: graph.nodes.length,
    edges: graph.edges.length,
    nodesByKind,
    edgesByKind,
    maxFanOut: maxOf(fanOut, names),
    maxFanIn: maxOf(fanIn, names),
    longestTriggerChain: longestChain(flow),
    cycles,
    components: roots.size,
  };
}

function maxOf(values: number[], names: string[]): { node: string | null; value: number } {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || (values[i] as number) > (values[best] as number)) best = i;
  return best < 0 || values[best] === 0 ? { node: null, value: 0 } : { node: names[best] as string, value: values[best] as number };
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(v: number): number {
    let root = v;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[v] !== root) {
      const next = this.parent[v] as number;
      this.parent[v] = root;
      v = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }
}
