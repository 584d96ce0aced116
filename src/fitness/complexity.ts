import { FLOW_EDGE_KINDS } from "../graph/metrics.js";
import type { EventGraph } from "../graph/types.js";
import type { Complexity } from "./types.js";

/** Default weight of the complexity term: 0.1 point per unit of complexity. */
export const DEFAULT_LAMBDA = 0.1;
/** Default cap of the complexity penalty, in points. */
export const DEFAULT_COMPLEXITY_CAP = 10;

/** Out-degree above which each further edge of one node counts again (fan-out excess). */
export const FAN_OUT_ALLOWANCE = 4;
/** Chain length (edges) above which each further hop counts twice. */
export const CHAIN_ALLOWANCE = 3;

/**
 * Complexity of an event graph:
 *
 *   value = E + 0.25 R + F + 2 max(0, L - 3) + 3 C
 *
 * E: typed edges other than `reference`; R: `reference` edges; F: fan-out
 * excess, the sum over nodes of max(0, out-degree - 4) (E and R counted);
 * L: the longest chain of flow edges (FLOW_EDGE_KINDS: trigger, invoke,
 * destination, write) between strongly connected components, the same figure
 * as the graph metrics' longestTriggerChain; C: nodes that sit on a cycle of
 * flow edges. Nodes are not counted: a resource costs through its wiring.
 *
 * penalty = min(cap, lambda x value). See docs/fitness-model.md.
 */
export function computeComplexity(graph: EventGraph, lambda = DEFAULT_LAMBDA, cap = DEFAULT_COMPLEXITY_CAP): Complexity {
  const inputs = complexityInputs(graph);
  const value =
    inputs.edges + 0.25 * inputs.referenceEdges + inputs.fanOutExcess + 2 * Math.max(0, inputs.longestChain - CHAIN_ALLOWANCE) + 3 * inputs.cycleNodes;
  const safeLambda = Number.isFinite(lambda) && lambda >= 0 ? lambda : DEFAULT_LAMBDA;
  const safeCap = Number.isFinite(cap) && cap >= 0 ? cap : Number.POSITIVE_INFINITY;
  return { value, penalty: Math.min(safeCap, safeLambda * value), lambda: safeLambda, cap: safeCap, inputs: { ...inputs } };
}

export interface ComplexityInputs {
  nodes: number;
  edges: number;
  referenceEdges: number;
  maxFanOut: number;
  fanOutExcess: number;
  longestChain: number;
  cycleNodes: number;
}

export function complexityInputs(graph: EventGraph): ComplexityInputs {
  const outDegree = new Map<string, number>();
  let edges = 0;
  let referenceEdges = 0;
  const flow = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.kind === "reference") referenceEdges++;
    else edges++;
    outDegree.set(edge.from, (outDegree.get(edge.from) ?? 0) + 1);
    if (FLOW_EDGE_KINDS.has(edge.kind)) {
      const list = flow.get(edge.from);
      if (list) list.push(edge.to);
      else flow.set(edge.from, [edge.to]);
    }
  }
  let maxFanOut = 0;
  let fanOutExcess = 0;
  for (const degree of outDegree.values()) {
    maxFanOut = Math.max(maxFanOut, degree);
    fanOutExcess += Math.max(0, degree - FAN_OUT_ALLOWANCE);
  }
  const ids = new Set<string>(graph.nodes.map((n) => n.id));
  for (const [from, tos] of flow) {
    ids.add(from);
    for (const to of tos) ids.add(to);
  }
  const { component, cycleNodes } = stronglyConnected([...ids], flow);
  return { nodes: graph.nodes.length, edges, referenceEdges, maxFanOut, fanOutExcess, longestChain: longestChain(flow, component), cycleNodes };
}

/** Tarjan's algorithm, iterative. Returns each node's component and the number of nodes on cycles. */
function stronglyConnected(ids: string[], next: Map<string, string[]>): { component: Map<string, number>; cycleNodes: number } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  let cycleNodes = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [string, number];
      const [v, i] = frame;
      if (i === 0) {
        index.set(v, counter);
        low.set(v, counter);
        counter++;
        stack.push(v);
        onStack.add(v);
      }
      const succ = next.get(v) ?? [];
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i] as string;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) as number, low.get(v) as number));
      if (low.get(v) === index.get(v)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.set(w, components);
          members.push(w);
        } while (w !== v);
        if (members.length > 1 || (next.get(v) ?? []).includes(v)) cycleNodes += members.length;
        components++;
      }
    }
  }
  return { component, cycleNodes };
}

/** Longest path (in edges) over the condensation: edges inside a component do not count. */
function longestChain(next: Map<string, string[]>, component: Map<string, number>): number {
  const succ = new Map<number, Set<number>>();
  for (const [from, tos] of next) {
    const a = component.get(from) as number;
    for (const to of tos) {
      const b = component.get(to) as number;
      if (a === b) continue;
      let set = succ.get(a);
      if (!set) succ.set(a, (set = new Set()));
      set.add(b);
    }
  }
  // Tarjan numbers components in reverse topological order: successors have lower numbers.
  const depth = new Map<number, number>();
  const order = [...new Set(component.values())].sort((x, y) => x - y);
  let best = 0;
  for (const c of order) {
    let d = 0;
    for (const s of succ.get(c) ?? []) d = Math.max(d, 1 + (depth.get(s) ?? 0));
    depth.set(c, d);
    best = Math.max(best, d);
  }
  return best;
}
