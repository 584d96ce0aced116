import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dict, own, parseJsonData, table } from "../src/tables.js";
import { PROTOTYPE_NAMES } from "./support/prototype-names.js";

describe("lookups keyed by names from input", () => {
  const kinds = table({ sqs: "queue", sns: "topic" });
  const record: Record<string, number> = { plain: 1 };

  it.each(PROTOTYPE_NAMES)("find nothing for %j unless it was written there", (name) => {
    expect(kinds.get(name)).toBeUndefined();
    expect(own(record, name)).toBeUndefined();
    expect(own(undefined, name)).toBeUndefined();
    expect(table({ [name]: "written" }).get(name)).toBe("written");
    expect(own(parseJsonData(`{${JSON.stringify(name)}: 2}`) as Record<string, number>, name)).toBe(2);
  });

  it("still find what was written", () => {
    expect(kinds.get("sqs")).toBe("queue");
    expect(own(record, "plain")).toBe(1);
  });

  it.each(PROTOTYPE_NAMES)("keep %j as a key of an accumulator, never as its prototype", (name) => {
    const counts = dict<number>();
    counts[name] = (own(counts, name) ?? 0) + 1;
    counts[name] = (own(counts, name) ?? 0) + 1;
    expect(Object.getPrototypeOf(counts)).toBeNull();
    expect(Object.keys(counts)).toEqual([name]);
    expect(Object.getOwnPropertyDescriptor(counts, name)?.value).toBe(2);
  });

  it("parse JSON from input into maps without a prototype, all the way down", () => {
    const data = parseJsonData('{"__proto__": {"a": [{"constructor": 1}]}, "b": null}') as Record<string, Record<string, Record<string, number>[]>>;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.keys(data)).toEqual(["__proto__", "b"]);
    const inner = Object.getOwnPropertyDescriptor(data, "__proto__")?.value as Record<string, Record<string, number>[]>;
    expect(Object.getPrototypeOf(inner)).toBeNull();
    expect(Object.getPrototypeOf(inner["a"]?.[0])).toBeNull();
    expect("toString" in data).toBe(false);
    expect(() => parseJsonData("{nope")).toThrow(SyntaxError);
  });
});

describe("the lint guard against plain-object tables", () => {
  const eslint = new ESLint({ cwd: fileURLToPath(new URL("..", import.meta.url)) });

  async function restricted(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  }

  it.each([
    "export const KINDS: Record<string, string> = { sqs: 'queue' };",
    "export const KINDS: Readonly<Record<string, string>> = Object.freeze({ sqs: 'queue' });",
    "export const KINDS: Partial<Record<string, string>> = {};",
    "export const KINDS: { readonly [service: string]: string } = { sqs: 'queue' };",
  ])("refuses %s in src/ and rules/", async (code) => {
    for (const file of ["src/graph/example.ts", "rules/example.ts"]) {
      const messages = await restricted(code, file);
      expect(messages, file).toHaveLength(1);
      expect(messages[0]).toContain("table({...})");
    }
  });

  it.each([
    "import { table, type Table } from '../tables.js';\nexport const KINDS: Table<string> = table({ sqs: 'queue' });",
    "export const WORDS: Record<'a' | 'b', string> = { a: 'x', b: 'y' };",
    "export function f(): Record<string, number> { const out: Record<string, number> = Object.create(null); return out; }",
  ])("accepts %s", async (code) => {
    expect(await restricted(code, "src/graph/example.ts")).toEqual([]);
  });
});
