import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { graphCommand } from "../../src/cli/graph-command.js";
import { runCli } from "../../src/cli/run.js";
import { corpusPath } from "../support/corpus.js";

const SEED = corpusPath("seed/evolutionary-template.yaml");
const INVALID = corpusPath("serverless-patterns/apigw-custom-domain-edge__template.yaml");

interface GraphJson {
  templates: {
    file: string;
    ok: boolean;
    graph?: { nodes: { id: string; type: string; kind: string; line: number }[]; edges: { from: string; to: string; kind: string; line: number }[]; metrics: Record<string, unknown> };
    error?: { message: string; line: number; column: number };
  }[];
}

describe("sam-fitness graph", () => {
  it("prints one JSON document with nodes, edges and metrics", async () => {
    const out = await graphCommand([SEED, "--format", "json"], process.cwd());
    expect(out.exitCode).toBe(0);
    const doc = JSON.parse(out.stdout) as GraphJson;
    expect(doc.templates).toHaveLength(1);
    const [t] = doc.templates;
    expect(t?.ok).toBe(true);
    expect(t?.graph?.nodes).toContainEqual({ id: "encryptedBucket", type: "AWS::S3::Bucket", kind: "bucket", line: 7 });
    expect(t?.graph?.nodes.find((n) => n.id === "myFirstFunction")).toMatchObject({ kind: "function", line: 60 });
    expect(t?.graph?.metrics).toHaveProperty("nodes", t?.graph?.nodes.length);
  });

  it("reports a broken template with its line, still processes the others, and exits 1", async () => {
    const out = await graphCommand([INVALID, SEED, "--format", "json"], process.cwd());
    expect(out.exitCode).toBe(1);
    const doc = JSON.parse(out.stdout) as GraphJson;
    expect(doc.templates.map((t) => t.ok)).toEqual([false, true]);
    expect(doc.templates[0]?.error).toMatchObject({ line: 34 });
    expect(doc.templates[0]?.file).toBe(INVALID);
  });

  it("searches directories for templates, skipping dependencies, build output and non-templates", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sam-fitness-"));
    const template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    for (const sub of ["app", "node_modules/pkg", ".aws-sam/build", "cdk.out", "app/nested"]) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, "app/template.yaml"), template);
    writeFileSync(join(dir, "app/nested/stack.json"), JSON.stringify({ Resources: { T: { Type: "AWS::SNS::Topic" } } }));
    writeFileSync(join(dir, "node_modules/pkg/template.yaml"), template);
    writeFileSync(join(dir, ".aws-sam/build/template.yaml"), template);
    writeFileSync(join(dir, "cdk.out/template.json"), JSON.stringify({ Resources: { T: { Type: "AWS::SNS::Topic" } } }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x" }));
    writeFileSync(join(dir, "app/config.yml"), "key: value\n");
    const out = await graphCommand([".", "--format", "json"], dir);
    const doc = JSON.parse(out.stdout) as GraphJson;
    expect(doc.templates.map((t) => t.file)).toEqual(["app/nested/stack.json", "app/template.yaml"]);
    expect(out.exitCode).toBe(0);
  });

  it("prints nodes and edges as text by default, with warnings on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sam-fitness-"));
    writeFileSync(join(dir, "t.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: { deadLetterTargetArn: !GetAtt Gone.Arn }\n");
    const out = await graphCommand(["t.yaml"], dir);
    expect(out.stdout).toContain("t.yaml: 1 nodes");
    expect(out.stdout).toContain("node Q (queue, AWS::SQS::Queue) line 2");
    expect(out.stderr).toContain("t.yaml:5:");
    expect(out.stderr).toContain("Gone");
  });

  it("exits 2 on usage errors", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await runCli(["graph", SEED, "--format", "dot"], process.cwd())).toBe(2);
      expect(await runCli(["graph"], process.cwd())).toBe(2);
      expect(await runCli(["graph", "--nope", SEED], process.cwd())).toBe(2);
      expect(await runCli(["frobnicate"], process.cwd())).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain("--format must be one of json, mermaid, text");
    } finally {
      stderr.mockRestore();
    }
  });

  it("reports a missing path as a usage error", async () => {
    await expect(graphCommand(["no/such/dir"], process.cwd())).rejects.toThrow(/no\/such\/dir: no such file or directory/);
  });
});

describe("sam-fitness graph output safety", () => {
  it("never writes template control characters to the terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sam-fitness-"));
    writeFileSync(join(dir, "a.yaml"), 'Resources:\n  "B\\e]0;pwned\\a\\e[31mRED":\n    Type: AWS::S3::Bucket\n  "dup\\e[32m": {Type: AWS::SQS::Queue}\n  "dup\\e[32m": {Type: AWS::SQS::Queue}\n');
    const out = await graphCommand(["a.yaml"], dir);
    expect(out.stdout + out.stderr).not.toContain("\u001b");
    expect(out.stdout + out.stderr).not.toContain("\u0007");
    expect(out.stdout).toContain("B?]0;pwned??[31mRED");
  });

  it("names each diagram of several templates in a comment that cannot be a directive", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sam-fitness-"));
    const template = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    writeFileSync(join(dir, "%%{init: {'theme':'dark'}}%%.yaml"), template);
    writeFileSync(join(dir, "b.yaml"), template);
    const out = await graphCommand([".", "--format", "mermaid"], dir);
    expect(out.stdout).toContain("%% template: b.yaml");
    expect(out.stdout).not.toContain("%%{");
  });

  it("reports a broken template on stderr with JSON and Mermaid output", async () => {
    const out = await graphCommand([INVALID, "--format", "mermaid"], process.cwd());
    expect(out.stderr).toMatch(/apigw-custom-domain-edge__template\.yaml:34:3: error:/);
    expect(out.exitCode).toBe(1);
  });
});
