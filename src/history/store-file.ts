/**
 * History in a local JSON file (`history: file:<path>`, `check --history
 * file:PATH`). Writes go to a temporary file in the same folder that is then
 * renamed over the target, so the file is a complete history after every
 * write, even one cut short.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { appendRecords } from "./record.js";
import { parseHistory, serializeHistory } from "./parse.js";
import { DEFAULT_HISTORY_LIMIT, HistoryError, emptyHistory } from "./types.js";
import type { HistoryFile, HistoryRecord } from "./types.js";

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

/** Reads a history file; a missing file is an empty history, an unreadable or invalid one an error. */
export async function readHistoryFile(path: string): Promise<HistoryFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return emptyHistory();
    const why = error instanceof Error ? error.message : String(error);
    throw new HistoryError(`Cannot read history file ${path}: ${why}`, path);
  }
  return parseHistory(text, path);
}

/** Writes the whole file atomically (temporary file, flush, rename). Creates the folder if needed. */
export async function writeHistoryFile(path: string, file: HistoryFile): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx", 0o644);
    try {
      await handle.writeFile(serializeHistory(file), "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new HistoryError(`Cannot write history file ${path}: ${why}`, path);
  }
  await syncFolder(folder);
}

/** Makes the rename itself durable where the platform allows it; best effort. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported everywhere (Windows); the rename has happened either way.
  }
}

export interface FileAppendResult {
  file: HistoryFile;
  /** False when the records were already there as given (nothing written). */
  written: boolean;
}

/**
 * Adds records to the file at `path` (creating it), keeping the last `limit`
 * records. An invalid existing file is an error and is left untouched. With
 * no records nothing is written.
 */
export async function appendToHistoryFile(
  path: string,
  records: readonly HistoryRecord[],
  options: { limit?: number } = {},
): Promise<FileAppendResult> {
  const current = await readHistoryFile(path);
  if (records.length === 0) return { file: current, written: false };
  const next = appendRecords(current, records, options.limit ?? DEFAULT_HISTORY_LIMIT);
  const existed = current.records.length > 0;
  if (existed && serializeHistory(next) === serializeHistory(current)) return { file: next, written: false };
  await writeHistoryFile(path, next);
  return { file: next, written: true };
}
