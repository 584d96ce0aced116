import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check-command.js";
import { readCorpus } from "../support/corpus.js";

const SEED = readCorpus("seed/evolutionary-template.yaml");
/** The seed with its unencrypted bucket fixed. */
const SEED_FIXED = SEED.replace(
  "  unencryptedBucket:\n    Type: 'AWS::S3::Bucket'\n",
  "  unencryptedBucket:\n    Type: 'AWS::S3::Bucket'\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: AES256\n",
);

interface CheckJson {
  gate: { passed: boolean; failures: string[] };
  templates: {
    file: string;
    ok: boolean;
    change: string;
    fitness: { score: number; rules: { id: string; results: { resource: string; status: string }[] }[] } | null;
    base: { score: number } | null;
    delta: { score: number; byRule: Record<string, number>; complexity: number; baseline?: number } | null;
  }[];
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-check-"));
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "dev@example.com");
  git("config", "user.name", "Dev");
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "app/template.yaml"), SEED);
  git("add", ".");
  git("commit", "-qm", "base");
  return dir;
}

describe("sam-fitness check", () => {
  it("scores a template and prints the JSON report", async () => {
    const dir = repo();
    const out = await checkCommand(["app/template.yaml", "--format", "json"], dir);
    expect(out.exitCode).toBe(0);
    const doc = JSON.parse(out.stdout) as CheckJson;
    const [t] = doc.templates;
    expect(t?.change).toBe("no-base");
    expect(t?.base).toBeNull();
    const encryption = t?.fitness?.rules.find((r) => r.id === "s3-bucket-server-side-encryption-enabled");
    expect(encryption?.results.map((r) => [r.resource, r.status])).toEqual([
      ["encryptedBucket", "pass"],
      ["unencryptedBucket", "fail"],
    ]);
  });

  it("compares with a git ref and attributes the whole delta", async () => {
    const dir = repo();
    writeFileSync(join(dir, "app/template.yaml"), SEED_FIXED);
    const out = await checkCommand(["app", "--base", "HEAD", "--format", "json"], dir);
    const [t] = (JSON.parse(out.stdout) as CheckJson).templates;
    expect(t?.change).toBe("modified");
    expect(t?.delta?.score).toBeGreaterThan(0);
    const parts = Object.values(t?.delta?.byRule ?? {}).reduce((a, b) => a + b, 0) + (t?.delta?.complexity ?? 0) + (t?.delta?.baseline ?? 0);
    expect(parts).toBeCloseTo(t?.delta?.score ?? Number.NaN, 9);
    expect(Object.entries(t?.delta?.byRule ?? {}).filter(([, v]) => v !== 0).map(([k]) => k)).toEqual(["s3-bucket-server-side-encryption-enabled"]);
  });

  it("treats a template the change adds as new, not as an error", async () => {
    const dir = repo();
    writeFileSync(join(dir, "app/other.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    const out = await checkCommand(["app/other.yaml", "--base", "HEAD", "--format", "json"], dir);
    expect(out.exitCode).toBe(0);
    const [t] = (JSON.parse(out.stdout) as CheckJson).templates;
    expect(t?.change).toBe("added");
    expect(t?.delta).toBeNull();
  });

  it("fails the gate below the threshold and on a larger drop, saying which and by how much", async () => {
    const dir = repo();
    const low = await checkCommand(["app/template.yaml", "--threshold", "95"], dir);
    expect(low.exitCode).toBe(1);
    expect(low.stdout).toMatch(/FAILED/);
    const json = JSON.parse((await checkCommand(["app/template.yaml", "--threshold", "95", "--format", "json"], dir)).stdout) as CheckJson;
    expect(json.gate.failures.join("\n")).toMatch(/below the threshold 95|95/);

    writeFileSync(join(dir, "base.yaml"), SEED_FIXED);
    const drop = await checkCommand(["app/template.yaml", "--base", "base.yaml", "--max-decrease", "1", "--format", "json"], dir);
    expect(drop.exitCode).toBe(1);
    const failures = (JSON.parse(drop.stdout) as CheckJson).gate.failures.join("\n");
    expect(failures).toMatch(/s3-bucket-server-side-encryption-enabled/);
  });

  it("reports a template it cannot parse and exits 1", async () => {
    const dir = repo();
    writeFileSync(join(dir, "app/template.yaml"), "Resources:\n  A:\n    Type: [oops\n");
    const out = await checkCommand(["app/template.yaml", "--format", "json"], dir);
    expect(out.exitCode).toBe(1);
    const [t] = (JSON.parse(out.stdout) as CheckJson).templates;
    expect(t?.ok).toBe(false);
  });

  it("appends to a local history file", async () => {
    const dir = repo();
    const out = await checkCommand(["app/template.yaml", "--history", "file:hist/fitness.json"], dir);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toMatch(/history: recorded 1 template/);
    const file = JSON.parse(readFileSync(join(dir, "hist/fitness.json"), "utf8")) as { records: { template: string; score: number; date: string }[] };
    expect(file.records.map((r) => r.template)).toEqual(["app/template.yaml"]);
    // The record carries the commit's date, so the trend is in commit order however runs are ordered.
    const committed = execFileSync("git", ["log", "-1", "--format=%cI"], { cwd: dir, encoding: "utf8" }).trim();
    expect(Date.parse(file.records[0]!.date)).toBe(Date.parse(committed));
    // The terminal shows the trend's figures, not markdown.
    const score = file.records[0]!.score.toFixed(2).replace(/\.?0+$/, "");
    expect(out.stdout).toContain(`trend:\n  Fitness trend for app/template.yaml\n  The only recorded score: ${score} (`);
    expect(out.stdout.slice(out.stdout.indexOf("trend:"))).not.toMatch(/\*\*|`|xychart/);
  });

  it("refuses --stack-name with several templates before writing any history", async () => {
    const dir = repo();
    writeFileSync(join(dir, "app/second.yaml"), SEED);
    await expect(checkCommand(["app", "--history", "file:fitness.json", "--stack-name", "shop"], dir)).rejects.toThrow(/--stack-name checks one template/);
    expect(existsSync(join(dir, "fitness.json"))).toBe(false);
  });

  it("names SARIF locations by their path in the repository, from any folder", async () => {
    const dir = repo();
    const out = await checkCommand(["template.yaml", "--format", "sarif"], join(dir, "app"));
    const sarif = JSON.parse(out.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = new Set(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(["app/template.yaml"]);
  });

  it("scores both sides with this change's config: a config change moves no delta, the threshold judges it", async () => {
    const dir = repo();
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github/sam-fitness.yml"), "threshold: 99\nmax-decrease: 0\nrules:\n  safe-deployments: { weight: 20 }\n");
    const out = await checkCommand(["app/template.yaml", "--base", "HEAD", "--format", "json"], dir);
    const doc = JSON.parse(out.stdout) as CheckJson;
    expect(doc.templates[0]?.delta?.score).toBe(0);
    expect(doc.gate.passed).toBe(false);
    expect(doc.gate.failures.join("\n")).toMatch(/below the threshold 99/);
    expect(doc.gate.failures.join("\n")).not.toMatch(/dropped/);
  });

  it("records a template by its path in the checkout, from any folder", async () => {
    const dir = repo();
    await checkCommand(["app/template.yaml", "--history", "file:fitness.json"], dir);
    const again = await checkCommand(["template.yaml", "--history", "file:../fitness.json"], join(dir, "app"));
    expect(again.stderr).toMatch(/history: nothing new for/);
    const file = JSON.parse(readFileSync(join(dir, "fitness.json"), "utf8")) as { records: { template: string }[] };
    expect(file.records.map((r) => r.template)).toEqual(["app/template.yaml"]);
  });

  it("rejects a bad config with the key that is wrong", async () => {
    const dir = repo();
    writeFileSync(join(dir, "cfg.yml"), "rules:\n  no-such-rule: { weight: 2 }\n");
    await expect(checkCommand(["app/template.yaml", "--config", "cfg.yml"], dir)).rejects.toThrow(/no-such-rule/);
  });
});

describe("sam-fitness check against a git ref: renames, deletions, problems", () => {
  it("compares a renamed template with its old path, so a drop still fails the gate", async () => {
    const dir = repo();
    execFileSync("git", ["mv", "app/template.yaml", "app/renamed.yaml"], { cwd: dir });
    writeFileSync(join(dir, "app/renamed.yaml"), SEED.replace("      SSESpecification:\n        SSEEnabled: true\n", ""));
    const out = await checkCommand([".", "--base", "HEAD", "--max-decrease", "0", "--format", "json"], dir);
    const [t] = (JSON.parse(out.stdout) as CheckJson).templates;
    expect(t?.file).toBe("app/renamed.yaml");
    expect(t?.change).toBe("modified");
    expect(t?.delta?.score).toBeLessThan(0);
    expect(out.exitCode).toBe(1);
  });

  it("reports a template the change deletes under the directories given", async () => {
    const dir = repo();
    execFileSync("git", ["rm", "-q", "app/template.yaml"], { cwd: dir });
    mkdirSync(join(dir, "app"), { recursive: true });
    writeFileSync(join(dir, "app/other.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    const out = await checkCommand(["app", "--base", "HEAD", "--format", "json"], dir);
    const templates = (JSON.parse(out.stdout) as CheckJson).templates;
    expect(templates.map((t) => [t.file, t.change])).toEqual([
      ["app/other.yaml", "added"],
      ["app/template.yaml", "deleted"],
    ]);
  });

  it("takes --base for a git ref when a directory of that name exists", async () => {
    const dir = repo();
    mkdirSync(join(dir, "HEAD~0"));
    const out = await checkCommand(["app/template.yaml", "--base", "HEAD~0", "--format", "json"], dir);
    expect((JSON.parse(out.stdout) as CheckJson).templates[0]?.change).toBe("unchanged");
  });

  it("prints template problems on stderr and fails on errors", async () => {
    const dir = repo();
    writeFileSync(join(dir, "e.yaml"), 'Resources:\n  B: hello\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: "oops"\n');
    const out = await checkCommand(["e.yaml"], dir);
    expect(out.stderr).toContain("e.yaml:2:3: error: resource B is not a mapping");
    expect(out.stderr).toMatch(/e\.yaml:5:\d+: error: Properties of Q must be a mapping/);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/the template has 2 error\(s\), first at line 2/);
  });

  it("fails when the paths hold no template", async () => {
    const dir = repo();
    mkdirSync(join(dir, "empty"));
    await expect(checkCommand(["empty", "--threshold", "90"], dir)).rejects.toThrow(/no templates found in empty/);
  });

  it("still prints the report when the history file is corrupt", async () => {
    const dir = repo();
    writeFileSync(join(dir, "h.json"), "{ not json");
    const out = await checkCommand(["app/template.yaml", "--history", "file:h.json"], dir);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/fitness \d/);
    expect(out.stderr).toMatch(/error: history: .*h\.json/);
    expect(readFileSync(join(dir, "h.json"), "utf8")).toBe("{ not json");
  });
});
