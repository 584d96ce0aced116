/**
 * Mutants of real corpus templates, as a careless or hostile pull request
 * could write them, through `sam-fitness check --format json`. Whatever the
 * input, the run ends with a JSON report, exit 0, 1 or 2, no stack trace and
 * no "unexpected error", within seconds. The mutants are the same on every
 * run (fixed seed), so a failure names a reproducible mutant.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { corpusFiles, corpusPath } from "../support/corpus.js";

/** A small, fast, seeded PRNG (mulberry32): the same mutants on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments that have broken parsers, graph builders and renderers before. */
const FRAGMENTS = [
  "!Foo bar", "!Ref", "!GetAtt", "!GetAtt X.Y.Z", "!Sub '${'", "!Sub ['${A}', {A: !Ref B}]", "!If [C, !Ref A]", "!Join", "!Select [9, []]",
  "&a", "*a", "*undefined", "<<: *a", "<<: [1, 2]", "? [a, b]", "__proto__", "constructor", "hasOwnProperty", "toString", "valueOf",
  "{", "}", "[", "]", "\"", "'", "\t", "\u0000", "\u2028", "\u202e", ": ", "- ", "|", ">-", "%YAML 1.1", "---", "...", "#",
  "Type: __proto__", "Type: constructor", "Type: AWS::Serverless::Function", "Type: hasOwnProperty", "Events: {E: {Type: valueOf}}",
  "Resources: []", "Resources: null", "Properties: 5", "DependsOn: [x, x]", "Condition: Nope", "Fn::ForEach::X: [a, [1], {}]",
  "arn:aws:__proto__:us-east-1:1:x", "arn:aws:constructor:::", "${AWS::NoValue}", "9".repeat(400), "x".repeat(5000),
  "[".repeat(300) + "]".repeat(300), "{a: ".repeat(150) + "1" + "}".repeat(150),
];

type Mutator = (text: string, rnd: () => number) => string;
const pick = <T>(items: readonly T[], rnd: () => number): T => items[Math.floor(rnd() * items.length)]!;
const at = (text: string, rnd: () => number) => Math.floor(rnd() * (text.length + 1));

const MUTATORS: Mutator[] = [
  // Truncated mid-way (an interrupted save).
  (t, r) => t.slice(0, at(t, r)),
  // A fragment inserted anywhere, at a line start or after a key.
  (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + pick(FRAGMENTS, r) + t.slice(i);
  },
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    const indent = /^\s*/.exec(lines[i] ?? "")![0];
    lines.splice(i, 0, indent + pick(FRAGMENTS, r));
    return lines.join("\n");
  },
  // A value replaced by a fragment.
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines[i] = (lines[i] ?? "").replace(/:\s.*$/, `: ${pick(FRAGMENTS, r)}`);
    return lines.join("\n");
  },
  // Lines deleted, duplicated, swapped, re-indented.
  (t, r) => {
    const lines = t.split("\n");
    lines.splice(Math.floor(r() * lines.length), 1 + Math.floor(r() * 3));
    return lines.join("\n");
  },
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, ...lines.slice(i, i + 1 + Math.floor(r() * 5)));
    return lines.join("\n");
  },
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    const j = Math.floor(r() * lines.length);
    [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
    return lines.join("\n");
  },
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines[i] = " ".repeat(Math.floor(r() * 9)) + (lines[i] ?? "").trimStart();
    return lines.join("\n");
  },
  // Bytes changed at random.
  (t, r) => {
    const chars = Array.from(t);
    for (let n = 0; n < 1 + Math.floor(r() * 8); n++) chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 0x300));
    return chars.join("");
  },
  // One logical ID, resource type or event type renamed to a built-in object member.
  (t, r) => replaceOne(t, /^( {2})([A-Za-z0-9]+):/gm, r, (indent) => `${indent}${pick(BUILT_IN_NAMES, r)}:`),
  (t, r) => replaceOne(t, /\bType: ['"]?[A-Za-z0-9:]+['"]?/g, r, () => `Type: ${pick(BUILT_IN_NAMES, r)}`),
  // Nesting past what a recursive walker survives, and aliases that expand a thousandfold.
  (t, r) => t + `\nMetadata:\n  Deep: ${"[".repeat(800 + Math.floor(r() * 2000))}\n`,
  (t) => t + "\nMappings:\n  A: &a [x, x, x, x, x, x, x, x, x, x]\n  B: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  C: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  D: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
];

const BUILT_IN_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Replaces the n-th match (chosen at random) of a global pattern. */
function replaceOne(text: string, pattern: RegExp, rnd: () => number, by: (first: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const m = pick(matches, rnd);
  return text.slice(0, m.index) + by(m[1] ?? "") + text.slice(m.index + m[0].length);
}

/** Varied corpus templates: SAM events, plain CloudFormation, state machines, APIs, a JSON template and a real app. */
function sources(): { name: string; text: string }[] {
  const patterns = corpusFiles("serverless-patterns", (n) => n.endsWith(".yaml")).filter((_, i) => i % 40 === 0);
  const translator = corpusFiles("sam-translator/input", (n) => n.endsWith(".yaml") && !n.startsWith("error_")).filter((_, i) => i % 60 === 0);
  const files = [...patterns, ...translator, "seed/evolutionary-template.yaml", "apps/ecommerce-platform/orders/template.yaml"];
  return files.map((f) => ({ name: f, text: readFileSync(corpusPath(f), "utf8") }));
}

const MUTANTS = 300;
const SEED = 20261202;

async function check(file: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const started = performance.now();
  try {
    const code = await runCli(["check", file, "--format", "json"], tmpdir());
    return { code, stdout, stderr, ms: performance.now() - started };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe("fuzzing check with mutants of corpus templates", () => {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-fuzz-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Every mutant's file is rewritten in place: one file at a time on disk.

  it(`${MUTANTS} mutants: a JSON report, exit 0/1/2, no stack trace, none over 10 s`, { timeout: 120_000 }, async () => {
    const rnd = random(SEED);
    const all = sources();
    const failures: string[] = [];
    for (let n = 0; n < MUTANTS; n++) {
      const source = pick(all, rnd);
      let text = source.text;
      const rounds = 1 + Math.floor(rnd() * 3);
      const applied: number[] = [];
      for (let k = 0; k < rounds; k++) {
        const m = Math.floor(rnd() * MUTATORS.length);
        applied.push(m);
        text = MUTATORS[m]!(text, rnd);
      }
      const file = join(dir, `mutant-${n}.yaml`);
      writeFileSync(file, text);
      const run = await check(file);
      const what = `mutant ${n} of ${source.name} (mutators ${applied.join(",")})`;
      if (![0, 1, 2].includes(run.code)) failures.push(`${what}: exit ${run.code}`);
      if (/unexpected error|\n\s+at .+\(.*:\d+:\d+\)/.test(run.stderr)) failures.push(`${what}: ${run.stderr.slice(0, 400)}`);
      // A limit hit is reported in words, not as the engine's own error.
      if (/Maximum call stack|out of memory|RangeError|TypeError/i.test(run.stdout + run.stderr)) failures.push(`${what}: an engine error reached the report`);
      if (run.ms > 10_000) failures.push(`${what}: ${Math.round(run.ms)} ms`);
      if (run.code !== 2) {
        try {
          JSON.parse(run.stdout);
        } catch {
          failures.push(`${what}: stdout is not JSON: ${run.stdout.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
