import type { GraphBuilder } from "../builder.js";

/** Placeholder: filled in by the extractor's owner. */
export function extractDestinations(_graph: GraphBuilder): void {}
