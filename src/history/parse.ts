/**
 * Reading and writing the history file's text. A file that is not a version 1
 * history is an error with a message that says where and what, never an
 * empty history: callers must not overwrite what they could not read.
 */
import { dict } from "../tables.js";
import { HISTORY_VERSION, HistoryError } from "./types.js";
import type { HistoryFile, HistoryRecord } from "./types.js";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

class Invalid extends Error {}

function requireString(record: Json, key: string, at: string, allowEmpty = false): string {
  const value = record[key];
  if (typeof value !== "string" || (!allowEmpty && value.length === 0)) {
    throw new Invalid(`${at}.${key} must be a ${allowEmpty ? "" : "non-empty "}string`);
  }
  return value;
}

function requireNumber(record: Json, key: string, at: string): number {
  const value = record[key];
  if (!isFiniteNumber(value)) throw new Invalid(`${at}.${key} must be a number`);
  return value;
}

function countOrNull(record: Json, key: string, at: string): number | null {
  const value = record[key];
  if (value === null || value === undefined) return null;
  if (!isFiniteNumber(value) || value < 0 || !Number.isInteger(value)) {
    throw new Invalid(`${at}.${key} must be a whole number or null`);
  }
  return value;
}

function recordFrom(value: unknown, at: string): HistoryRecord {
  if (!isObject(value)) throw new Invalid(`${at} must be an object`);
  const date = requireString(value, "date", at);
  if (Number.isNaN(Date.parse(date))) throw new Invalid(`${at}.date is not a date: ${JSON.stringify(date.slice(0, 40))}`);
  const rulesValue = value["rules"];
  if (!isObject(rulesValue)) throw new Invalid(`${at}.rules must be an object`);
  const rules = dict<number | null>();
  for (const [id, rate] of Object.entries(rulesValue)) {
    if (rate !== null && !isFiniteNumber(rate)) throw new Invalid(`${at}.rules[${JSON.stringify(id)}] must be a number or null`);
    rules[id] = rate;
  }
  const complexity = value["complexity"];
  if (!isObject(complexity)) throw new Invalid(`${at}.complexity must be an object`);
  return {
    sha: requireString(value, "sha", at),
    date,
    ref: requireString(value, "ref", at, true),
    template: requireString(value, "template", at),
    toolVersion: requireString(value, "toolVersion", at, true),
    score: requireNumber(value, "score", at),
    quality: requireNumber(value, "quality", at),
    rules,
    complexity: {
      value: requireNumber(complexity, "value", `${at}.complexity`),
      penalty: requireNumber(complexity, "penalty", `${at}.complexity`),
    },
    nodes: countOrNull(value, "nodes", at),
    edges: countOrNull(value, "edges", at),
  };
}

const KEEP = "It was left as it is: fix or remove it, then run again.";

/**
 * Parses a history file. Throws HistoryError naming `source` when the text is
 * not JSON, not a history, of an unknown version, or holds an invalid record.
 */
export function parseHistory(text: string, source: string): HistoryFile {
  if (text.trim().length === 0) {
    throw new HistoryError(`History file ${source} is empty, not a sam-fitness history. ${KEEP}`, source);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HistoryError(`History file ${source} is not valid JSON (${why}). ${KEEP}`, source);
  }
  if (!isObject(data) || !("version" in data) || !("records" in data)) {
    throw new HistoryError(
      `History file ${source} is not a sam-fitness history (expected {"version": 1, "records": [...]}). ${KEEP}`,
      source,
    );
  }
  if (data["version"] !== HISTORY_VERSION) {
    const version = JSON.stringify(data["version"]) ?? "undefined";
    const newer = isFiniteNumber(data["version"]) && data["version"] > HISTORY_VERSION;
    throw new HistoryError(
      newer
        ? `History file ${source} has version ${version}, written by a newer sam-fitness; this one reads version ${HISTORY_VERSION}. ${KEEP}`
        : `History file ${source} has an unknown version ${version.slice(0, 40)}; expected ${HISTORY_VERSION}. ${KEEP}`,
      source,
    );
  }
  const list = data["records"];
  if (!Array.isArray(list)) throw new HistoryError(`History file ${source}: "records" must be an array. ${KEEP}`, source);
  const records: HistoryRecord[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      records.push(recordFrom(list[i], `records[${i}]`));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      throw new HistoryError(`History file ${source} has an invalid record: ${error.message}. ${KEEP}`, source);
    }
  }
  return { version: HISTORY_VERSION, records };
}

/**
 * The file's text: one record per line, so that the file stays small (the
 * contents API serves files up to 1 MB inline) and diffs show one line per
 * record. Ends with a newline.
 */
export function serializeHistory(file: HistoryFile): string {
  const lines = file.records.map((record) => JSON.stringify(record));
  const body = lines.length === 0 ? "[]" : `[\n${lines.join(",\n")}\n]`;
  return `{"version": ${HISTORY_VERSION}, "records": ${body}}\n`;
}
