import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { renderSarif } from "../../src/render/sarif.js";
import { hostileTemplate } from "./helpers/hostile.js";
import { fitness, outcome, report, result, runCheck, seedFixReport, templateCheck } from "./helpers/reports.js";
import { SARIF_SUBSET_SCHEMA } from "./helpers/sarif-schema.js";

const validate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_SUBSET_SCHEMA);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } }; logicalLocations: { name: string }[] }[];
}
interface SarifLog {
  runs: {
    tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown>; defaultConfiguration: { level: string } }[] } };
    results: SarifResult[];
  }[];
}

describe("renderSarif", () => {
  it("is valid SARIF 2.1.0 with one result per failing (rule, resource) of the head", () => {
    const rep = seedFixReport();
    const sarif = renderSarif(rep, BUILTIN_RULES) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0]!;
    const failing = rep.templates[0]!.fitness!.rules.flatMap((r) => r.results.filter((x) => x.status === "fail").map((x) => `${r.id}|${x.resource}|${x.line}`));
    expect(run.results.map((r) => `${r.ruleId}|${r.locations[0]!.logicalLocations[0]!.name}|${r.locations[0]!.physicalLocation.region.startLine}`).sort()).toEqual(failing.sort());
    // The fixed bucket no longer has an encryption result.
    expect(run.results.find((r) => r.ruleId === "s3-bucket-server-side-encryption-enabled")).toBeUndefined();
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe("template.yaml");
    }
    const meta = run.tool.driver.rules.find((r) => r.id === "s3-bucket-versioning-enabled")!;
    expect(meta.properties).toMatchObject({ category: expect.any(String), weight: expect.any(Number) });
  });

  it("ends the finding's sentence before its fix", () => {
    const check = templateCheck("t.yaml", fitness(0, [outcome("r", [result("A", "fail", 3, "no default encryption is declared", "Add BucketEncryption."), result("B", "fail", 4, "public.", "Remove it.")])]), null);
    const texts = (renderSarif(report([check]), []) as SarifLog).runs[0]!.results.map((r) => r.message.text);
    expect(texts).toEqual(["A: no default encryption is declared. Fix: Add BucketEncryption.", "B: public. Fix: Remove it."]);
  });

  it("encodes file paths as URI references and clamps lines to at least 1", () => {
    const check = templateCheck("stacks\\my app/template #1.yaml", fitness(0, [outcome("r", [result("A", "fail", 0, "bad")])]), null);
    const sarif = renderSarif(report([check]), []) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const loc = sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uri).toBe("stacks/my%20app/template%20%231.yaml");
    expect(loc.region.startLine).toBe(1);
    // A rule the caller did not describe still gets a descriptor.
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(["r"]);
  });

  it("stays valid for hostile templates; an unanalysable one has only its parse error", () => {
    const rep = runCheck([
      { file: "hostile.yaml", head: hostileTemplate(), base: undefined },
      { file: "broken.yaml", head: "Resources: [", base: undefined },
    ]);
    const sarif = renderSarif(rep, BUILTIN_RULES) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    // Rule findings come from the analysable template only; the broken one is reported as a template problem.
    const ruleResults = sarif.runs[0]!.results.filter((r) => !r.ruleId.startsWith("template-"));
    expect(ruleResults.every((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "hostile.yaml")).toBe(true);
    const broken = sarif.runs[0]!.results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "broken.yaml");
    expect(broken.map((r) => r.ruleId)).toEqual(["template-parse-error"]);
  });

  it("a template that no longer parses is an error result at the error's position, so its alerts do not look fixed", () => {
    const head = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: { BucketName: [x\n";
    const rep = runCheck([{ file: "stacks/app.yaml", head, base: "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n" }]);
    const check = rep.templates[0]!;
    expect(check.ok).toBe(false);
    const sarif = renderSarif(rep, BUILTIN_RULES) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(1);
    const r = run.results[0]!;
    expect(r).toMatchObject({ ruleId: "template-parse-error", level: "error" });
    expect(r.message.text).toBe(check.error!.message.replace(/\s+/g, " ").trim());
    expect(r.locations[0]!.physicalLocation.region).toEqual({ startLine: check.error!.line, startColumn: check.error!.column });
    expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe("stacks/app.yaml");
    expect(run.tool.driver.rules[r.ruleIndex]).toMatchObject({ id: "template-parse-error", defaultConfiguration: { level: "error" } });
  });

  it("template diagnostics: errors as template-error (level error), warnings as template-warning (level warning)", () => {
    const head = [
      "Resources:",
      "  NoType:",
      "    Properties: {}",
      "  Topic:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      "      DisplayName: !Ref Missing",
      "  Other:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      "      DisplayName: !Ref Missing",
      "",
    ].join("\n");
    const rep = runCheck([{ file: "t.yaml", head, base: undefined }]);
    const diagnostics = rep.templates[0]!.diagnostics;
    expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
    expect(diagnostics.filter((d) => d.severity === "warning").length).toBeGreaterThanOrEqual(2);
    const sarif = renderSarif(rep, []) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const problems = sarif.runs[0]!.results.filter((r) => r.ruleId.startsWith("template-"));
    expect(problems.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine, r.locations[0]!.physicalLocation.region.startColumn])).toEqual(
      diagnostics.map((d) => [d.severity === "error" ? "template-error" : "template-warning", d.severity, d.line, d.column]),
    );
    const ids = sarif.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(["template-error", "template-warning"]));
    for (const r of problems) expect(sarif.runs[0]!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    // Two identical warnings stay two alerts.
    const fingerprints = problems.map((r) => r.partialFingerprints["samFitness/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("the subset schema rejects what code scanning would reject", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] })).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r" }] }] })).toBe(false);
  });
});

describe("renderSarif with a config-defined rule", () => {
  it("escapes its docs in help.markdown (code scanning renders it), and keeps them as they are in help.text", () => {
    const docs = "See [this](https://evil.example) ![x](https://evil.example/x.png) <img src=x onerror=alert(1)> #12 GH-3 @octocat, or set `BucketName: x`";
    const custom = { id: "buckets-are-named", title: "Buckets are named", docs, category: "operations", weight: 1 };
    const sarif = renderSarif(seedFixReport(), [...BUILTIN_RULES, custom]) as { runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string } }[] } } }[] };
    const help = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === "buckets-are-named")!.help;
    expect(help.text).toBe(docs);
    expect(help.markdown.replace(/<\/?code>/g, "")).not.toMatch(/[[\]<>!@]/);
    expect(help.markdown).toContain("<code>BucketName: x</code>");
    const rendered = help.markdown.replace(/<\/?code>/g, "").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
    expect(rendered).not.toMatch(/(?<![\w-])#\d|GH-\d/);
    expect(rendered.replace(/\u200b/g, "")).toBe(docs.replace(/`/g, ""));
  });
});
