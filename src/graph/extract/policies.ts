import type { GraphBuilder } from "../builder.js";

/** Placeholder: filled in by the extractor's owner. */
export function extractPolicies(_graph: GraphBuilder): void {}
