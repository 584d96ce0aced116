import { describe, expect, it } from "vitest";
import {
  DEFAULT_HISTORY_LIMIT,
  HistoryError,
  appendRecords,
  emptyHistory,
  parseHistory,
  recordsFromReport,
  serializeHistory,
} from "../../src/history/record.js";
import { checkOf, fitness, record, reportOf } from "./fixtures.js";

const META = { sha: "0123456789abcdef0123456789abcdef01234567", ref: "refs/heads/main", date: "2025-03-04T05:06:07Z", toolVersion: "0.1.0" };
const SEED = "seed/evolutionary-template.yaml";
const INVALID = "serverless-patterns/apigw-custom-domain-edge__template.yaml";

describe("recordsFromReport", () => {
  it("records score, quality, pass rates, complexity and the real graph size of each scored template", () => {
    const seed = checkOf(SEED, fitness(71.234567, { "s3-bucket-versioning-enabled": 0.5, "dynamodb-pitr-enabled": 1 / 3, unused: null }));
    expect(seed.graph?.nodes.length).toBeGreaterThan(0);
    const [only, ...rest] = recordsFromReport(reportOf([seed]), META);
    expect(rest).toEqual([]);
    expect(only).toEqual({
      sha: META.sha,
      date: META.date,
      ref: META.ref,
      template: SEED,
      toolVersion: "0.1.0",
      score: 71.23,
      quality: 74.23,
      rules: { "s3-bucket-versioning-enabled": 0.5, "dynamodb-pitr-enabled": 0.3333, unused: null },
      complexity: { value: 30, penalty: 3 },
      nodes: seed.graph?.nodes.length,
      edges: seed.graph?.edges.length,
    });
  });

  it("leaves out templates without a head score (unparseable, deleted)", () => {
    const broken = checkOf(INVALID, null);
    expect(broken.ok).toBe(false);
    const deleted = { ...checkOf(SEED, null), change: "deleted" as const };
    const scored = checkOf("serverless-patterns/api-lambda-ses__template.yml", fitness(90, {}));
    const records = recordsFromReport(reportOf([broken, deleted, scored]), META);
    expect(records.map((r) => r.template)).toEqual(["serverless-patterns/api-lambda-ses__template.yml"]);
  });

  it("does not let a rule called __proto__ change the record's prototype", () => {
    const rates = JSON.parse('{"__proto__": 1, "ok": 0.5}') as Record<string, number>;
    const records = recordsFromReport(reportOf([checkOf(SEED, fitness(50, rates))]), META);
    expect(Object.keys(records[0]?.rules ?? {})).toEqual(["__proto__", "ok"]);
    const parsed = parseHistory(serializeHistory({ version: 1, records }), "mem");
    const rules = parsed.records[0]?.rules;
    expect(Object.getPrototypeOf(rules)).toBe(null);
    expect(Object.entries(rules ?? {})).toEqual([["__proto__", 1], ["ok", 0.5]]);
  });
});

describe("appendRecords", () => {
  it("appends, and replaces a record of the same commit and template in place", () => {
    const start = { version: 1 as const, records: [record("a", 1), record("b", 2), record("b", 3, { template: "other.yaml" })] };
    const next = appendRecords(start, [record("b", 20), record("c", 4)], 100);
    expect(next.records.map((r) => `${r.sha}:${r.template}:${r.score}`)).toEqual([
      "a:template.yaml:1",
      "b:template.yaml:20",
      "b:other.yaml:3",
      "c:template.yaml:4",
    ]);
    expect(start.records).toHaveLength(3);
  });

  it("keeps only the last `limit` records", () => {
    let file = emptyHistory();
    for (let i = 0; i < 30; i++) file = appendRecords(file, [record(`sha${i}`, i)], 10);
    expect(file.records.map((r) => r.score)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(DEFAULT_HISTORY_LIMIT).toBeGreaterThan(0);
  });
});

describe("parseHistory", () => {
  it("reads back what serializeHistory wrote, one record per line", () => {
    const file = { version: 1 as const, records: [record("a", 1), record("b", 2, { nodes: null, edges: null })] };
    const text = serializeHistory(file);
    expect(text.split("\n")).toHaveLength(5);
    expect(parseHistory(text, "h.json")).toEqual(file);
    expect(parseHistory(serializeHistory(emptyHistory()), "h.json")).toEqual(emptyHistory());
  });

  const bad: Array<[string, string, RegExp]> = [
    ["truncated JSON", '{"version": 1, "records": [', /h\.json is not valid JSON/],
    ["an empty file", "  \n", /h\.json is empty/],
    ["another JSON shape", "[1, 2]", /not a sam-fitness history/],
    ["a newer version", '{"version": 2, "records": []}', /version 2, written by a newer sam-fitness/],
    ["records not a list", '{"version": 1, "records": {}}', /"records" must be an array/],
    ["a record without score", JSON.stringify({ version: 1, records: [{ ...record("a", 1), score: "high" }] }), /records\[0\]\.score must be a number/],
    ["a bad date", JSON.stringify({ version: 1, records: [record("a", 1), { ...record("b", 1), date: "yesterday" }] }), /records\[1\]\.date is not a date/],
    ["a bad pass rate", JSON.stringify({ version: 1, records: [{ ...record("a", 1), rules: { x: "1" } }] }), /records\[0\]\.rules\["x"\]/],
  ];
  it.each(bad)("rejects %s with a clear error naming the file", (_what, text, message) => {
    expect(() => parseHistory(text, "h.json")).toThrow(HistoryError);
    expect(() => parseHistory(text, "h.json")).toThrow(message);
    expect(() => parseHistory(text, "h.json")).toThrow(/left as it is/);
  });
});
