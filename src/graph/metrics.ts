import type { EventGraph, GraphMetrics } from "./types.js";

/** Placeholder: see GraphMetrics for the contract. */
export function computeMetrics(graph: EventGraph): GraphMetrics {
  return {
    nodes: graph.nodes.length,
    edges: graph.edges.length,
    nodesByKind: {},
    edgesByKind: {},
    maxFanOut: { node: null, value: 0 },
    maxFanIn: { node: null, value: 0 },
    longestTriggerChain: 0,
    cycles: [],
    components: 0,
  };
}
