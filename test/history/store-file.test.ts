import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendToHistoryFile, readHistoryFile, writeHistoryFile } from "../../src/history/store-file.js";
import { parseHistory } from "../../src/history/parse.js";
import { HistoryError } from "../../src/history/types.js";
import { record, series } from "./fixtures.js";

let folder = "";
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "sam-fitness-history-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("local history file", () => {
  it("creates the file (and its folder) on first append, then appends", async () => {
    const path = join(folder, "nested", "fitness-history.json");
    expect(await readHistoryFile(path)).toEqual({ version: 1, records: [] });
    const first = await appendToHistoryFile(path, [record("a", 10)]);
    expect(first.written).toBe(true);
    await appendToHistoryFile(path, [record("b", 20), record("b", 5, { template: "other.yaml" })]);
    const file = parseHistory(await readFile(path, "utf8"), path);
    expect(file.records.map((r) => `${r.sha}:${r.template}`)).toEqual(["a:template.yaml", "b:template.yaml", "b:other.yaml"]);
  });

  it("does not rewrite the file when the records are already there", async () => {
    const path = join(folder, "h.json");
    await appendToHistoryFile(path, [record("a", 10)]);
    expect((await appendToHistoryFile(path, [record("a", 10)])).written).toBe(false);
    expect((await appendToHistoryFile(path, [record("a", 11)])).written).toBe(true);
    expect((await readHistoryFile(path)).records.map((r) => r.score)).toEqual([11]);
  });

  it("keeps the file bounded", async () => {
    const path = join(folder, "h.json");
    for (const chunk of [series([1, 2, 3, 4]), series([5, 6, 7, 8], "b.yaml")]) await appendToHistoryFile(path, chunk, { limit: 5 });
    expect((await readHistoryFile(path)).records.map((r) => r.score)).toEqual([4, 5, 6, 7, 8]);
  });

  it("refuses a corrupt file with a clear error and leaves it untouched", async () => {
    const path = join(folder, "h.json");
    const corrupt = '{"version": 1, "records": [{"sha": "a"';
    await writeFile(path, corrupt);
    const attempt = appendToHistoryFile(path, [record("b", 1)]);
    await expect(attempt).rejects.toThrow(HistoryError);
    await expect(appendToHistoryFile(path, [record("b", 1)])).rejects.toThrow(`History file ${path} is not valid JSON`);
    expect(await readFile(path, "utf8")).toBe(corrupt);
  });

  it("is a complete history at every moment while being rewritten, and leaves no temporary file", async () => {
    const path = join(folder, "h.json");
    // A large file makes each write take a while, so that a reader meets writes in progress.
    await writeHistoryFile(path, { version: 1, records: series(Array.from({ length: 2000 }, (_, i) => i % 100)) });
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(path, "utf8");
        expect(() => parseHistory(text, path)).not.toThrow();
        reads++;
      }
    })();
    for (let i = 0; i < 30; i++) await appendToHistoryFile(path, [record(`new${i}`, i)], { limit: 2000 });
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((await readHistoryFile(path)).records.at(-1)?.sha).toBe("new29");
    expect(await readdir(folder)).toEqual(["h.json"]);
  });

  it("leaves the old file whole when a write fails", async () => {
    const path = join(folder, "h.json");
    await appendToHistoryFile(path, [record("a", 1)]);
    const before = await readFile(path, "utf8");
    // A record that cannot be serialised makes the write fail midway.
    const cyclic = record("b", 2) as unknown as Record<string, unknown>;
    cyclic["rules"] = { self: cyclic };
    await expect(appendToHistoryFile(path, [cyclic as never])).rejects.toThrow();
    expect(await readFile(path, "utf8")).toBe(before);
    expect(existsSync(path)).toBe(true);
    expect(await readdir(folder)).toEqual(["h.json"]);
  });
});
