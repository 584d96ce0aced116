/**
 * Defects 6 and 7 of the untrusted-input issue, on their exact shapes: an
 * alias-built template that used to take 1.18 GB and 28 s, and nesting deep
 * enough to overflow V8's stack. Both must be a parse error at the line, and
 * a template just inside the bounds must go through every walker (graph,
 * rules, JSON and markdown output) without a stack overflow.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { MAX_DEPTH, MAX_NODES } from "../../src/template/limits.js";
import { parseTemplate } from "../../src/template/index.js";

function failure(text: string, file = "bad.yaml"): { message: string; line: number; column: number } {
  const result = parseTemplate(text, file);
  if (result.ok) throw new Error("expected a parse failure");
  return result.error;
}

const QUEUE = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n";

describe("expanded size (defect 6)", () => {
  it("an 834 KB template of aliases is refused at the alias that crosses the bound, at the cost of reading 834 KB", () => {
    // 40 resources' worth of tag lists, each an alias of one 1,000-value anchor, repeated until the file is ~834 KB.
    const anchor = `Mappings:\n  M:\n    K: &big [${Array.from({ length: 1_000 }, (_, i) => `v${i}`).join(", ")}]\n`;
    const lines: string[] = [anchor, "Resources:"];
    let n = 0;
    while (lines.join("\n").length < 834_000) {
      lines.push(`  Q${n}:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: [${Array(40).fill("*big").join(", ")}]`);
      n++;
    }
    const text = lines.join("\n");
    // It used to take 28 s and 1.18 GB. Reading 834 KB of YAML takes about a second; expanding nothing costs nothing more.
    const started = performance.now();
    const heap = process.memoryUsage().heapUsed;
    const e = failure(text);
    expect(performance.now() - started).toBeLessThan(6_000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(400 * 1024 * 1024);
    expect(e.message).toMatch(/^the document expands to more than 1,000,000 nodes: the YAML alias \*big here repeats 1,001 of them/);
    // Refused at the alias where the count passes the bound (about 1,000 aliases of 1,001 values, 40 to a
    // resource of 4 lines: near line 100), not at the end of the 20,000-line document.
    expect(e.line).toBeLessThan(200);
    expect(text.split("\n")[e.line - 1]).toContain("*big");
    expect(MAX_NODES).toBe(1_000_000);
  });

  it("the same aliases in a template that stays inside the bound parse as usual", () => {
    const text = `Mappings:\n  M:\n    K: &tags [{ Key: a, Value: b }, { Key: c, Value: d }]\nResources:\n${Array.from({ length: 50 }, (_, i) => `  Q${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *tags`).join("\n")}\n`;
    const result = parseTemplate(text, "ok.yaml");
    expect(result.ok).toBe(true);
  });
});

describe("nesting (defect 7)", () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

  it.each([
    ["YAML flow lists", `${QUEUE}      X: ${nested(5_000)}\n`, 5],
    ["a JSON template", `{"Resources":{"A":{"Type":"AWS::SQS::Queue","Properties":{"X":${nested(5_000)}}}}}`, 1],
    ["YAML block mappings", QUEUE + Array.from({ length: 900 }, (_, i) => `${"  ".repeat(i + 3)}k${i}:`).join("\n") + `\n${"  ".repeat(903)}v: 1\n`, MAX_DEPTH + 2],
  ])("%s nested 900-5,000 deep: 'nesting deeper than 200 levels' at the line, not a stack overflow", (_shape, text, line) => {
    const file = text.startsWith("{") ? "bad.json" : "bad.yaml";
    const e = failure(text, file);
    expect(e.message).toMatch(/^nesting deeper than 200 levels/);
    expect(e.message).not.toMatch(/call stack/i);
    expect(e.line).toBe(line);
  });
});

describe("a template nested just inside the bound goes through every walker", () => {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-limits-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(["json", "text", "markdown", "sarif"])("check --format %s", async (format) => {
    // Intrinsics deep inside a state machine definition and a policy, where the graph and the rules look.
    const deep = (depth: number, leaf: string) => "{ A: ".repeat(depth) + leaf + " }".repeat(depth);
    const text = [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Runtime: nodejs22.x",
      "      Handler: index.handler",
      "      CodeUri: .",
      `      Environment: { Variables: { X: ${deep(MAX_DEPTH - 12, "!GetAtt Q.Arn")} } }`,
      "      Policies:",
      `        - Statement: [{ Effect: Allow, Action: sqs:*, Resource: ${deep(MAX_DEPTH - 12, "!Ref Q")} }]`,
      "  Q:",
      "    Type: AWS::SQS::Queue",
      "  Sm:",
      "    Type: AWS::Serverless::StateMachine",
      `    Properties: { Definition: ${deep(MAX_DEPTH - 10, "!Sub '${Fn.Arn}'")} }`,
      "",
    ].join("\n");
    const file = join(dir, "deep.yaml");
    writeFileSync(file, text);
    let stdout = "";
    let stderr = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    let code: number;
    try {
      code = await runCli(["check", file, "--format", format], dir);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
    expect(stderr).not.toMatch(/call stack|RangeError|TypeError|\n\s+at /);
    expect([0, 1]).toContain(code);
    expect(stdout.length).toBeGreaterThan(0);
    if (format === "json" || format === "sarif") expect(() => JSON.parse(stdout)).not.toThrow();
  });
});
