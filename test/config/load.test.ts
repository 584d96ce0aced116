import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import { contextOf } from "../rules/helpers.js";

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "sam-fitness-config-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const CODE_RULE = `export default {
  id: "no-queues", title: "No queues", category: "cost", weight: 2, appliesTo: ["AWS::SQS::Queue"], docs: "",
  evaluate({ template }) {
    return [...template.resources.values()].filter((r) => r.type === "AWS::SQS::Queue")
      .map((r) => ({ resource: r.id, score: 0, message: "a queue", line: r.position.line }));
  },
};
`;

describe("loadConfig", () => {
  it("a missing default file means the defaults; a missing explicit file is an error", async () => {
    const root = repo({});
    expect((await loadConfig(null, root)).file).toBeNull();
    await expect(loadConfig("custom.yml", root)).rejects.toBeInstanceOf(ConfigError);
  });

  it("reads .github/sam-fitness.yml by default", async () => {
    const root = repo({ ".github/sam-fitness.yml": "threshold: 60\n" });
    expect(await loadConfig(null, root)).toMatchObject({ file: ".github/sam-fitness.yml", threshold: 60 });
  });

  it("does not load code rules unless allowed, and says so", async () => {
    const root = repo({ "cfg.yml": "code-rules: [rules/no-queues.mjs]\nrules:\n  no-queues: { weight: 3 }\n", "rules/no-queues.mjs": CODE_RULE });
    const config = await loadConfig("cfg.yml", root);
    expect(config.loadedRules).toEqual([]);
    expect(config.warnings.join("\n")).toMatch(/allow-code-rules: true/);
  });

  it("loads allowed code rules, which then score (with config weights) like the others", async () => {
    const root = repo({ "cfg.yml": "allow-code-rules: true\ncode-rules: [rules/no-queues.mjs]\nrules:\n  no-queues: { weight: 3 }\n", "rules/no-queues.mjs": CODE_RULE });
    const config = await loadConfig("cfg.yml", root);
    expect(config.loadedRules.map((r) => r.id)).toEqual(["no-queues"]);
    const f = scoreTemplate(contextOf("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"), config);
    expect(f.rules.find((r) => r.id === "no-queues")).toMatchObject({ weight: 3, passRate: 0 });
  });

  it("rejects code rule paths outside the repository, missing modules, bad exports and unknown ids", async () => {
    const bad = repo({
      "a.yml": "allow-code-rules: true\ncode-rules: [../outside.mjs]\n",
      "b.yml": "allow-code-rules: true\ncode-rules: [missing.mjs]\n",
      "c.yml": "allow-code-rules: true\ncode-rules: [bad.mjs]\n",
      "d.yml": "allow-code-rules: true\ncode-rules: [ok.mjs]\nrules:\n  nope: { weight: 1 }\n",
      "bad.mjs": "export default { id: 'Bad Id', evaluate: 1 };\n",
      "ok.mjs": CODE_RULE,
    });
    await expect(loadConfig("a.yml", bad)).rejects.toThrow(/outside the repository/);
    await expect(loadConfig("b.yml", bad)).rejects.toThrow(/does not exist/);
    await expect(loadConfig("c.yml", bad)).rejects.toThrow(/kebab-case/);
    await expect(loadConfig("d.yml", bad)).rejects.toThrow(/rules\.nope: unknown rule id/);
  });

  it("a code rule that throws is reported, not fatal", async () => {
    const root = repo({ "cfg.yml": "allow-code-rules: true\ncode-rules: [t.mjs]\n", "t.mjs": "export const rule = { id: 'thrower', title: 'T', category: 'cost', weight: 1, evaluate() { throw new Error('nope'); } };\n" });
    const f = scoreTemplate(contextOf("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"), await loadConfig("cfg.yml", root));
    expect(f.notes).toContain("rule thrower failed and was skipped: nope");
  });
});

describe("loadConfig on untrusted files", () => {
  it("refuses a config or code rule that is a symbolic link out of the repository, and never quotes its target", async () => {
    const outside = repo({ "secret.env": "HOME=/root SECRET=hunter2\n", "rule.mjs": CODE_RULE });
    const root = repo({ "inside.yml": "threshold: 50\n" });
    mkdirSync(path.join(root, ".github"));
    symlinkSync(path.join(outside, "secret.env"), path.join(root, ".github", "sam-fitness.yml"));
    const error = await loadConfig(null, root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/symbolic link to a file outside the repository/);
    expect(String(error)).not.toContain("hunter2");

    symlinkSync(path.join(outside, "rule.mjs"), path.join(root, "rule.mjs"));
    writeFileSync(path.join(root, "code.yml"), "allow-code-rules: true\ncode-rules: [rule.mjs]\n");
    await expect(loadConfig("code.yml", root)).rejects.toThrow(/rule\.mjs is a symbolic link to a file outside the repository/);

    // A link that stays inside the repository is fine.
    symlinkSync(path.join(root, "inside.yml"), path.join(root, "linked.yml"));
    expect((await loadConfig("linked.yml", root)).threshold).toBe(50);
  });

  it("accepts a file reached through a linked folder, and a file outside the repository named as such", async () => {
    const root = repo({ "real/cfg.yml": "threshold: 42\n" });
    symlinkSync(path.join(root, "real"), path.join(root, "link"));
    expect((await loadConfig("link/cfg.yml", root)).threshold).toBe(42);
    const elsewhere = repo({ "shared.yml": "threshold: 7\n" });
    const linkedDir = repo({});
    symlinkSync(elsewhere, path.join(linkedDir, "team"));
    expect((await loadConfig(path.join(linkedDir, "team", "shared.yml"), root)).threshold).toBe(7);
  });

  it("refuses a config path that is not a regular file", async () => {
    const root = repo({});
    mkdirSync(path.join(root, "dir.yml"));
    await expect(loadConfig("dir.yml", root)).rejects.toThrow(/dir\.yml is not a regular file/);
  });
});
