/**
 * Turning a check report into history records, and adding records to a
 * history file (bounded, one record per commit and template). Pure.
 */
import type { CheckReport, TemplateCheck } from "../fitness/types.js";
import { HISTORY_VERSION } from "./types.js";
import type { HistoryFile, HistoryRecord } from "./types.js";

export type { HistoryFile, HistoryRecord } from "./types.js";
export { HistoryError, DEFAULT_HISTORY_LIMIT, emptyHistory } from "./types.js";
export { parseHistory, serializeHistory } from "./parse.js";

export interface RecordMeta {
  sha: string;
  ref: string;
  /** ISO 8601. */
  date: string;
  toolVersion: string;
}

/** Scores keep two decimals, pass rates four: enough for a trend, small on disk. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function countOf(check: TemplateCheck, what: "nodes" | "edges"): number | null {
  const list = check.graph?.[what];
  if (Array.isArray(list)) return list.length;
  const fromInputs = check.fitness?.complexity?.inputs?.[what];
  return typeof fromInputs === "number" && Number.isFinite(fromInputs) ? fromInputs : null;
}

function recordOf(check: TemplateCheck, meta: RecordMeta): HistoryRecord | null {
  const fitness = check.fitness;
  if (!check.ok || fitness === null || fitness === undefined) return null;
  const rules: Record<string, number | null> = Object.create(null) as Record<string, number | null>;
  for (const rule of Array.isArray(fitness.rules) ? fitness.rules : []) {
    if (typeof rule?.id !== "string") continue;
    rules[rule.id] = typeof rule.passRate === "number" && Number.isFinite(rule.passRate) ? round(rule.passRate, 4) : null;
  }
  return {
    sha: meta.sha,
    date: meta.date,
    ref: meta.ref,
    template: check.file,
    toolVersion: meta.toolVersion,
    score: round(finiteOr(fitness.score, 0), 2),
    quality: round(finiteOr(fitness.quality, 0), 2),
    rules,
    complexity: {
      value: round(finiteOr(fitness.complexity?.value, 0), 4),
      penalty: round(finiteOr(fitness.complexity?.penalty, 0), 2),
    },
    nodes: countOf(check, "nodes"),
    edges: countOf(check, "edges"),
  };
}

/**
 * One record per template of the report that has a head score. Templates
 * that were deleted or could not be parsed have no score and are left out.
 */
export function recordsFromReport(report: CheckReport, meta: RecordMeta): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  for (const check of Array.isArray(report.templates) ? report.templates : []) {
    const record = recordOf(check, meta);
    if (record) records.push(record);
  }
  return records;
}

function keyOf(record: HistoryRecord): string {
  return `${record.sha}\u0000${record.template}`;
}

/**
 * Adds `records` to the file: a record for a commit and template already in
 * the file replaces the old one in place (a re-run of the same commit), the
 * others go at the end; then only the last `limit` records are kept. Returns
 * a new file; the input is not changed.
 */
export function appendRecords(file: HistoryFile, records: readonly HistoryRecord[], limit: number): HistoryFile {
  const merged = [...file.records];
  const index = new Map<string, number>();
  merged.forEach((record, i) => index.set(keyOf(record), i));
  for (const record of records) {
    const key = keyOf(record);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, merged.length);
      merged.push(record);
    } else {
      merged[at] = record;
    }
  }
  const keep = Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : merged.length;
  return { version: HISTORY_VERSION, records: merged.slice(Math.max(0, merged.length - keep)) };
}
