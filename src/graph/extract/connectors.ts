import type { GraphBuilder } from "../builder.js";

/** Placeholder: filled in by the extractor's owner. */
export function extractConnectors(_graph: GraphBuilder): void {}
