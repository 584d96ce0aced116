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
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { name: string }[] }[];
}
interface SarifLog {
  runs: { tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } }; results: SarifResult[] }[];
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

  it("stays valid for hostile templates and skips unanalysable ones", () => {
    const rep = runCheck([
      { file: "hostile.yaml", head: hostileTemplate(), base: undefined },
      { file: "broken.yaml", head: "Resources: [", base: undefined },
    ]);
    const sarif = renderSarif(rep, BUILTIN_RULES) as SarifLog;
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(sarif.runs[0]!.results.every((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "hostile.yaml")).toBe(true);
  });

  it("the subset schema rejects what code scanning would reject", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] })).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r" }] }] })).toBe(false);
  });
});
