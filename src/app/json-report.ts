import type { CheckReport } from "../fitness/types.js";

/**
 * The `check --format json` document (public contract, see README): the
 * check report without the event graphs, which `graph --format json` gives.
 */
export function toJsonReport(report: CheckReport, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    toolVersion: report.toolVersion,
    configPath: report.configPath,
    gate: report.gate,
    templates: report.templates.map(({ graph: _graph, baseGraph: _baseGraph, ...rest }) => rest),
    ...extra,
  };
}
