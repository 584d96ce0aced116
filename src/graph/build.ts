import type { Template } from "../template/types.js";
import { GraphBuilder } from "./builder.js";
import { extractApiIntegrations } from "./extract/api-integrations.js";
import { extractCfnEventSources } from "./extract/cfn-event-sources.js";
import { extractConnectors } from "./extract/connectors.js";
import { extractDestinations } from "./extract/destinations.js";
import { extractHooks } from "./extract/hooks.js";
import { extractPolicies } from "./extract/policies.js";
import { extractReferences } from "./extract/references.js";
import { extractSamEvents } from "./extract/sam-events.js";
import { extractStateMachines } from "./extract/state-machines.js";
import type { EventGraph } from "./types.js";

/** One source of edges. Extractors only read the template and write through the builder. */
export type Extractor = (graph: GraphBuilder) => void;

/**
 * In order: the SAM events first (they create implicit nodes such as
 * ServerlessRestApi that the others may point at), then the plain
 * CloudFormation wiring, then access, invocation and weaker edges.
 */
export const EXTRACTORS: readonly Extractor[] = [
  extractSamEvents,
  extractApiIntegrations,
  extractCfnEventSources,
  extractPolicies,
  extractConnectors,
  extractStateMachines,
  extractDestinations,
  extractHooks,
  extractReferences,
];

/** Builds the event graph of a parsed template. Pure and synchronous. */
export function buildGraph(template: Template): EventGraph {
  const builder = new GraphBuilder(template);
  for (const extract of EXTRACTORS) extract(builder);
  return builder.build();
}
