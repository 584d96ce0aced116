export { buildGraph, EXTRACTORS } from "./build.js";
export type { Extractor } from "./build.js";
export { GraphBuilder } from "./builder.js";
export { computeMetrics } from "./metrics.js";
export { NODE_KINDS, HELPER_TYPES, kindOfType } from "./kinds.js";
export type * from "./types.js";
