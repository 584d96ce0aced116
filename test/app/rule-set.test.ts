import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("the scoring core knows no rule and no config", () => {
  it("src/fitness imports nothing from rules/, src/config or the front ends", () => {
    const offending: string[] = [];
    for (const file of sources(join(src, "fitness"))) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)) {
        if (/\/rules\/|\/config\/|\/app\/|\/cli\/|\/action\/|\/render\//.test(spec ?? "")) offending.push(`${file.slice(src.length)}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

describe("one rule set for every front end", () => {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-rule-set-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the CLI's SARIF describes the config's custom rules, as the Action's does", async () => {
    writeFileSync(join(dir, "template.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    writeFileSync(
      join(dir, "sam-fitness.yml"),
      "custom-rules:\n  - id: queues-are-named\n    title: Queues have a name\n    resource-types: AWS::SQS::Queue\n    path: QueueName\n    condition: { exists: true }\n    message: the queue has no QueueName\n",
    );
    let stdout = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    try {
      await runCli(["check", "template.yaml", "--config", "sam-fitness.yml", "--format", "sarif"], dir);
    } finally {
      out.mockRestore();
      process.exitCode = undefined;
    }
    const sarif = JSON.parse(stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    const run = sarif.runs[0];
    expect(run?.results.map((r) => r.ruleId)).toContain("queues-are-named");
    expect(run?.tool.driver.rules.map((r) => r.id)).toContain("queues-are-named");
  });
});
