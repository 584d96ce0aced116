import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { isSamFitnessError } from "../src/errors.js";
import { GitHubApiError } from "../src/github/errors.js";
import { HistoryError } from "../src/history/types.js";
import { NoTemplatesError, UsageError } from "../src/cli/args.js";

const src = fileURLToPath(new URL("../src/", import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

describe("sam-fitness's own errors", () => {
  it("every error class in src/ derives from SamFitnessError", () => {
    const declared = files(src).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/class (\w+) extends (\w+)/g)].map((m) => [m[1] as string, m[2] as string] as const));
    const errors = new Map(declared.filter(([name]) => name.endsWith("Error")));
    expect(errors.size).toBeGreaterThanOrEqual(12);
    const rooted = (name: string, seen = 0): boolean => name === "SamFitnessError" || (seen < 10 && errors.has(name) && rooted(errors.get(name) as string, seen + 1));
    expect([...errors.keys()].filter((name) => name !== "SamFitnessError" && !rooted(name))).toEqual([]);
  });

  it("say whether they are a usage mistake (CLI exit 2) or a failed run (exit 1)", () => {
    expect(new ConfigError("f.yml", "threshold", 3, "not a number").kind).toBe("usage");
    expect(new UsageError("no such option").kind).toBe("usage");
    expect(new NoTemplatesError("none").kind).toBe("failure");
    expect(new HistoryError("gone", "file:h.jsonl").kind).toBe("failure");
    expect(new GitHubApiError(502, "GET", "/x", "Bad Gateway").kind).toBe("failure");
    expect(isSamFitnessError(new Error("bug"))).toBe(false);
    expect(isSamFitnessError(new ConfigError("f.yml", "k", null, "p"))).toBe(true);
  });
});
