import { FLOW_EDGE_KINDS } from "../graph/metrics.js";
import { cycleMembers, longestChain, stronglyConnected } from "../graph/scc.js";
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
  // Flow edges may end at a node the graph does not hold (a reference it could not resolve): it still counts.
  const index = new Map<string, number>();
  const at = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = index.size));
    return i;
  };
  for (const n of graph.nodes) at(n.id);
  for (const [from, tos] of flow) [from, ...tos].forEach(at);
  const adjacency: number[][] = Array.from({ length: index.size }, () => []);
  for (const [from, tos] of flow) adjacency[at(from)]!.push(...tos.map(at));
  const { component, count } = stronglyConnected(adjacency);
  const cycleNodes = cycleMembers(adjacency, component, count).reduce((sum, list) => sum + list.length, 0);
  return { nodes: graph.nodes.length, edges, referenceEdges, maxFanOut, fanOutExcess, longestChain: longestChain(adjacency), cycleNodes };
}
