import type { GraphBuilder } from "../builder.js";

/** Placeholder: filled in by the extractor's owner. */
export function extractHooks(_graph: GraphBuilder): void {}
