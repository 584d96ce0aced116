/**
 * The committed CLI bundle (`node dist/cli.js`), run as users run it: what
 * the bundler could break (dynamic imports of the user's own files, the
 * version string, the bundled example) is checked on the bundle itself.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliBundle, ensureBuilt, repoRoot } from "../support/bundle.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-cli-bundle-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliBundle, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
`;

const NO_QUEUES = `export default {
  id: "no-queues", title: "No queues", category: "cost", weight: 2, appliesTo: ["AWS::SQS::Queue"],
  docs: "Use a topic instead.",
  evaluate({ template }) {
    return [...template.resources.values()].filter((r) => r.type === "AWS::SQS::Queue")
      .map((r) => ({ resource: r.id, score: 0, message: "a queue", line: r.position.line }));
  },
};
`;

describe("the CLI bundle (dist/cli.js)", () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it("loads the repository's code rules when the config allows them", () => {
    const dir = workspace({
      "template.yaml": TEMPLATE,
      ".github/sam-fitness.yml": "allow-code-rules: true\ncode-rules: [fitness/no-queues.mjs]\n",
      "fitness/no-queues.mjs": NO_QUEUES,
    });
    const run = cli(dir, "check", "template.yaml", "--format", "json");
    expect(run.stderr).not.toMatch(/could not be loaded/);
    const report = JSON.parse(run.stdout) as { templates: { fitness: { rules: { id: string; results: { resource: string; status: string; line: number }[] }[] } }[] };
    const rule = report.templates[0]!.fitness.rules.find((r) => r.id === "no-queues");
    expect(rule?.results).toEqual([expect.objectContaining({ resource: "Jobs", status: "fail", line: 3 })]);
  });

  it("names the module and the error when a code rule cannot be loaded", () => {
    const dir = workspace({
      "template.yaml": TEMPLATE,
      ".github/sam-fitness.yml": "allow-code-rules: true\ncode-rules: [fitness/broken.mjs]\n",
      "fitness/broken.mjs": "export default {;\n",
    });
    const run = cli(dir, "check", "template.yaml");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/fitness\/broken\.mjs could not be loaded: .*SyntaxError|fitness\/broken\.mjs could not be loaded: Unexpected/);
  });

  it("stops quietly when its reader closes the pipe early", () => {
    const dir = workspace({ "template.yaml": TEMPLATE.replace("Resources:\n", `Resources:\n${Array.from({ length: 3000 }, (_, i) => `  Q${i}:\n    Type: AWS::SQS::Queue\n`).join("")}`) });
    const run = spawnSync("bash", ["-c", `"${process.execPath}" "${cliBundle}" graph template.yaml --format json | head -c 10; echo " exit=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: "utf8" });
    expect(run.stdout).toMatch(/ exit=0\n$/);
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled/);
    // A failed gate still fails when the reader stops early.
    const gated = spawnSync("bash", ["-c", `"${process.execPath}" "${cliBundle}" check template.yaml --format json --threshold 100 | head -c 10; echo " exit=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: "utf8" });
    expect(gated.stdout).toMatch(/ exit=1\n$/);
  });

  it("reports the package version", () => {
    const version = (JSON.parse(execFileSync("git", ["show", "HEAD:package.json"], { cwd: repoRoot, encoding: "utf8" })) as { version: string }).version;
    expect(cli(repoRoot, "--version").stdout.trim()).toBe(version);
  });
});
