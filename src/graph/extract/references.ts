import type { GraphBuilder } from "../builder.js";

/** Placeholder: filled in by the extractor's owner. */
export function extractReferences(_graph: GraphBuilder): void {}
