/**
 * One definition of "the change's findings" across every front end: a result
 * whose credit drops from 0.5 to 0 is WORSENED, listed with the new findings
 * in the PR comment, annotated, marked in the text output and in SARIF; a
 * result failing with the same credit in base and head is pre-existing in all
 * four. All four are rendered from one check of one real base/head pair.
 */
import { describe, expect, it } from "vitest";
import { planAnnotations } from "../../src/action/annotations.js";
import { checkTemplates } from "../../src/app/check.js";
import { allRules } from "../../src/app/rule-set.js";
import { parseConfig } from "../../src/config/parse.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";

const CONFIG = `custom-rules:
  - id: queues-retain-4-days
    title: Queues keep messages 4 days
    resource-types: AWS::SQS::Queue
    path: [MessageRetentionPeriod]
    condition: { in: [345600, 1209600] }
    message: retention is not 4 or 14 days
`;

const template = (worse: string) => `Conditions:
  Long: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Worse:
    Type: AWS::SQS::Queue
    Properties: { MessageRetentionPeriod: ${worse}, SqsManagedSseEnabled: true }
  Same:
    Type: AWS::SQS::Queue
    Properties: { MessageRetentionPeriod: 60, SqsManagedSseEnabled: true }
`;

describe("a finding whose credit drops from 0.5 to 0", () => {
  const config = parseConfig(CONFIG, "sam-fitness.yml");
  const report = checkTemplates([{ file: "template.yaml", head: template("60"), base: template("!If [Long, 1209600, 60]") }], config, { toolVersion: "0", configPath: null, date: "2026-12-02" });
  const rule = "queues-retain-4-days";

  it("is a worsened finding (with the new ones) in the PR comment, and Same stays pre-existing", () => {
    const check = report.templates[0];
    expect(check?.base?.rules.find((r) => r.id === rule)?.results.map((r) => [r.resource, r.score])).toEqual([["Worse", 0.5], ["Same", 0]]);
    const md = renderMarkdown(report);
    const newSection = md.slice(md.indexOf("#### New findings"), md.indexOf("Pre-existing findings"));
    expect(newSection).toMatch(/#### New findings \(1\)/);
    expect(newSection).toMatch(/\*\*Worse\*\*.*_\(worse than in base\)_/);
    expect(newSection).not.toContain("**Same**");
    expect(md.slice(md.indexOf("Pre-existing findings"))).toContain("**Same**");
  });

  it("is annotated, and Same is not", () => {
    const { annotations } = planAnnotations(report);
    const findings = annotations.filter((a) => a.title === `sam-fitness: ${rule}`);
    expect(findings.map((a) => a.message)).toEqual([expect.stringMatching(/^Worse: retention is not 4 or 14 days\..*\(Worse than in base\.\)$/)]);
  });

  it("is marked worsened in the text output, and Same is unmarked", () => {
    const lines = renderText(report).split("\n").filter((l) => l.includes(rule));
    expect(lines.find((l) => l.includes("[Worse]"))).toMatch(/ \(worsened\)$/);
    expect(lines.find((l) => l.includes("[Same]"))).toMatch(/\[Same\]$/);
  });

  it("is new in this change in SARIF, and Same is not", () => {
    const sarif = renderSarif(report, allRules(config)) as { runs: { results: { ruleId: string; logicalLocations?: unknown; locations: { logicalLocations: { name: string }[] }[]; properties: { newInThisChange: boolean | null; worsened?: boolean } }[] }[] };
    const byResource = new Map(sarif.runs[0]?.results.filter((r) => r.ruleId === rule).map((r) => [r.locations[0]?.logicalLocations[0]?.name, r.properties]));
    expect(byResource.get("Worse")).toEqual({ score: 0, newInThisChange: true, worsened: true });
    expect(byResource.get("Same")).toMatchObject({ newInThisChange: false });
    expect(byResource.get("Same")?.worsened).toBeUndefined();
  });
});
