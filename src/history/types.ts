/**
 * The fitness history's data: one record per template per recorded commit,
 * and the file that holds them (`fitness-history.json`, version 1).
 */
import { SamFitnessError } from "../errors.js";

export const HISTORY_VERSION = 1;

/** Records kept in a history file by default; the oldest are dropped first. */
export const DEFAULT_HISTORY_LIMIT = 500;

export interface HistoryRecord {
  /** Commit SHA the score was computed for. */
  sha: string;
  /** ISO 8601 date of the run (or of the commit, as the caller decides). */
  date: string;
  /** Git ref recorded (e.g. refs/heads/main). */
  ref: string;
  /** Template path relative to the repository root. */
  template: string;
  /** sam-fitness version that computed the score. */
  toolVersion: string;
  /** Fitness score: quality minus the complexity penalty. */
  score: number;
  /** 100 x weighted pass rate, before the complexity penalty. */
  quality: number;
  /** Pass rate (0..1) per rule ID; null when the rule applied to nothing. */
  rules: Record<string, number | null>;
  complexity: { value: number; penalty: number };
  /** Event-graph size; null when the graph was not available. */
  nodes: number | null;
  edges: number | null;
}

export interface HistoryFile {
  version: typeof HISTORY_VERSION;
  records: HistoryRecord[];
}

/**
 * A history that cannot be read or written as asked: corrupt JSON, a file of
 * another shape or version, a storage conflict that did not settle. Never
 * recovered from by starting an empty history.
 */
export class HistoryError extends SamFitnessError {
  readonly kind = "failure";
  override readonly name = "HistoryError";
  /** Where the history lives: a file path or `owner/repo@branch:path`. */
  readonly source: string;

  constructor(message: string, source: string) {
    super(message);
    this.source = source;
  }
}

export function emptyHistory(): HistoryFile {
  return { version: HISTORY_VERSION, records: [] };
}
