import { dict } from "../tables.js";
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
  const { component } = stronglyConnected(flow);
  const members = new Map<number, number[]>();
  component.forEach((c, v) => {
    const list = members.get(c);
    if (list) list.push(v);
    else members.set(c, [v]);
  });
  for (const list of members.values()) {
    const v = list[0] as number;
    if (list.length > 1 || flow[v]!.includes(v)) cycles.push(list.map((i) => names[i] as string).sort());
  }
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

/** Longest path (in edges) over the SCC condensation of `adjacency`. */
function longestChain(adjacency: number[][]): number {
  const { component, count } = stronglyConnected(adjacency);
  // Tarjan numbers components in reverse topological order: a component's
  // successors all have smaller numbers, so ascending order visits sinks first.
  const longest = new Array<number>(count).fill(0);
  const byComponent: number[][] = Array.from({ length: count }, () => []);
  component.forEach((c, v) => byComponent[c]!.push(v));
  let best = 0;
  for (let c = 0; c < count; c++) {
    let value = 0;
    for (const v of byComponent[c]!) {
      for (const w of adjacency[v]!) {
        const d = component[w] as number;
        if (d !== c) value = Math.max(value, (longest[d] as number) + 1);
      }
    }
    longest[c] = value;
    best = Math.max(best, value);
  }
  return best;
}

/** Tarjan's algorithm, iterative. Components are numbered in reverse topological order. */
function stronglyConnected(adjacency: number[][]): { component: number[]; count: number } {
  const n = adjacency.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const component = new Array<number>(n).fill(-1);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  let counter = 0;
  let count = 0;
  const work: [number, number][] = [];
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    work.push([root, 0]);
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, i] = frame;
      if (i === 0 && order[v] === -1) {
        order[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      const next = adjacency[v]!;
      if (i < next.length) {
        frame[1] = i + 1;
        const w = next[i] as number;
        if (order[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, order[w] as number);
        continue;
      }
      work.pop();
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          component[w] = count;
        } while (w !== v);
        count++;
      }
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
    }
  }
  return { component, count };
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
