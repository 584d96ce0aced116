/**
 * What the CLI prints when the templates, their file names and the config come
 * from a hostile pull request: the CLI also runs in workflow steps, so none of
 * it may reach the runner as a workflow command.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { runnerCommands } from "../support/runner-commands.js";

const TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Resources:",
  "  Bucket:",
  "    Type: AWS::S3::Bucket",
  "",
].join("\n");

/** A repository whose template lives at a path a hostile PR chose (legal in git), with a hostile config. */
const made: string[] = [];
function hostileRepo(dirName: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-hostile-"));
  made.push(dir);
  mkdirSync(join(dir, dirName, "app"), { recursive: true });
  writeFileSync(join(dir, dirName, "app", "template.yaml"), TEMPLATE);
  mkdirSync(join(dir, ".github"));
  writeFileSync(
    join(dir, ".github", "sam-fitness.yml"),
    [
      "custom-rules:",
      "  - id: buckets-are-named",
      "    title: 'Buckets ##[add-mask]named'",
      "    category: operations",
      "    weight: 1",
      "    resource-types: [AWS::S3::Bucket]",
      "    path: BucketName",
      "    condition: { exists: true }",
      "    message: \"unnamed ##[error]forged\"",
      "    docs: \"See [this](https://evil.example) ![x](https://evil.example/x.png) <img src=x onerror=alert(1)> #12 GH-3 @octocat\"",
      "",
    ].join("\n"),
  );
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
  return dir;
}

/** stdout and stderr of one CLI run in-process, and its exit code. */
async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(argv, cwd);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

describe("CLI output from a hostile pull request", () => {
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("issues no workflow command in any format, whatever the folder is called", async () => {
    for (const folder of ["::add-mask::x", "a\n::error title=F::pwn", "b\u2028::stop-commands::t", "##[add-mask]y"]) {
      const dir = hostileRepo(folder);
      for (const format of ["text", "json", "markdown", "sarif", "mermaid"]) {
        const out = await cli(["check", ".", "--format", format], dir);
        expect(out.code, `${JSON.stringify(folder)} ${format}: ${out.stderr}`).toBeLessThanOrEqual(1);
        expect(runnerCommands(out.stdout), `${JSON.stringify(folder)} ${format}`).toEqual([]);
        expect(runnerCommands(out.stderr), `${JSON.stringify(folder)} ${format}`).toEqual([]);
        if (format === "json" || format === "sarif") {
          // Lossless: the document still parses, and names the folder exactly.
          expect(out.stdout).toContain("app/template.yaml");
          const doc = JSON.parse(out.stdout) as object;
          expect(JSON.stringify(doc)).toContain("##[error]forged");
        }
      }
    }
  });

  it("strips line separators and control characters from stderr", async () => {
    const dir = hostileRepo("ok");
    const out = await cli(["check", "missing\u2028::error::x\u2029\u0085\u001b[2J.yaml"], dir);
    expect(out.code).toBeGreaterThan(0);
    expect(out.stderr).toMatch(/missing/);
    expect(["\u2028", "\u2029", "\u0085", "\u001b"].filter((ch) => out.stderr.includes(ch))).toEqual([]);
    expect(runnerCommands(out.stderr)).toEqual([]);
  });
});
