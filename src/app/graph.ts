import { buildGraph } from "../graph/build.js";
import { computeMetrics } from "../graph/metrics.js";
import type { EventGraph, GraphMetrics } from "../graph/types.js";
import { parseTemplate } from "../template/parse.js";
import type { Diagnostic } from "../template/types.js";

/** One template's entry in `graph --format json` (public contract, see README). */
export type GraphResult =
  | { file: string; ok: true; graph: EventGraph & { metrics: GraphMetrics }; diagnostics: Diagnostic[] }
  | { file: string; ok: false; error: { message: string; line: number; column: number } };

/** Parses one template and builds its event graph. Pure; never throws for bad input. */
export function graphTemplate(file: string, text: string): GraphResult {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { file, ok: false, error: { message, line, column } };
  }
  const graph = buildGraph(parsed.template);
  return { file, ok: true, graph: { ...graph, metrics: computeMetrics(graph) }, diagnostics: parsed.template.diagnostics };
}
