/**
 * Records keyed by names from input (rule ids from a config or history file,
 * rule ids and logical IDs in a delta, logical IDs of a deployed stack) keep
 * names such as "__proto__" and "constructor" as plain keys: no replaced
 * prototype, no member of Object.prototype read as a setting (issue #11).
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.js";
import { compareFitness } from "../../src/fitness/delta.js";
import { activeRules } from "../../src/app/rule-set.js";
import type { Rule } from "../../src/fitness/types.js";
import { parseHistory } from "../../src/history/parse.js";
import { computeChanges } from "../../src/live/mapping.js";
import type { LiveReport } from "../../src/live/types.js";
import { analyseTemplate } from "../../src/render/analysis.js";
import { renderLiveSection } from "../../src/render/live.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { parseTemplate } from "../../src/template/parse.js";
import type { Template } from "../../src/template/types.js";
import { fitness, outcome, report, result, templateCheck } from "../render/helpers/reports.js";
import { PROTOTYPE_NAMES, quoted } from "../support/prototype-names.js";

function rule(id: string): Rule {
  return { id, title: `Title of ${id}`, category: "operations", weight: 1, appliesTo: [], docs: "", evaluate: () => [] };
}

function template(text: string): Template {
  const parsed = parseTemplate(text, "template.yaml");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.template;
}

describe.each(PROTOTYPE_NAMES)("the name %j", (name) => {
  it("as a rule id in the config: a setting of that rule only", () => {
    // With code rules, ids the parser does not know are kept for loadConfig to check.
    const config = parseConfig(`code-rules: [rules.js]\nrules:\n  ${quoted(name)}: { weight: 7 }\n  plain: { enabled: false }\n`, "sam-fitness.yml");
    expect(Object.getPrototypeOf(config.rules)).toBeNull();
    expect(Object.keys(config.rules).sort()).toEqual([name, "plain"].sort());
    const rules = activeRules(config, [rule(name), rule("other"), rule("plain")]);
    expect(rules.map((r) => [r.id, r.weight])).toEqual([
      [name, 7],
      ["other", 1],
    ]);
    // Without a setting, the member of Object.prototype of that name is no setting either.
    expect(activeRules(parseConfig("threshold: 50\n", "sam-fitness.yml"), [rule(name)]).map((r) => [r.id, r.weight])).toEqual([[name, 1]]);
  });

  it("as a rule id in a history record: a rate like any other", () => {
    const record = { sha: "abc", date: "2026-01-01T00:00:00Z", ref: "main", template: "t.yaml", toolVersion: "0", score: 80, quality: 90, rules: { [name]: 0.5, plain: null }, complexity: { value: 1, penalty: 0.1 }, nodes: 1, edges: 0 };
    // JSON text, as a history file holds it: `"__proto__": 0.5` is a key there.
    const text = `{"version": 1, "records": [${JSON.stringify(record).replace('"rules":{', `"rules":{${JSON.stringify(name)}:0.5,`)}]}`;
    const rules = parseHistory(text, "history.json").records[0]?.rules;
    expect(rules && Object.getPrototypeOf(rules)).toBeNull();
    expect(Object.keys(rules ?? {}).sort()).toEqual([name, "plain"].sort());
    expect(Object.getOwnPropertyDescriptor(rules, name)?.value).toBe(0.5);
  });

  it("as a rule id and a logical ID in a delta: attributed, and rendered", () => {
    const base = fitness(50, [outcome(name, [result(name, "fail", 3)]), outcome("plain", [result("Fn", "pass", 4)])]);
    const head = fitness(100, [outcome(name, [result(name, "pass", 3)]), outcome("plain", [result("Fn", "pass", 4)])]);
    const delta = compareFitness(base, head);
    expect(delta && Object.getPrototypeOf(delta.byRule)).toBeNull();
    expect(Object.keys(delta?.byRule ?? {}).sort()).toEqual([name, "plain"].sort());
    expect(Object.getOwnPropertyDescriptor(delta?.byRule, name)?.value).toBeCloseTo(50);
    expect(Object.getOwnPropertyDescriptor(delta?.byResource, name)?.value).toBeCloseTo(50);
    const check = { ...templateCheck("t.yaml", head, base), delta };
    expect(analyseTemplate(check).rules.find((r) => r.id === name)?.contribution).toBeCloseTo(50);
    // Markdown writes the underscores of "__proto__" as character references.
    const markdown = renderMarkdown(report([check])).replaceAll("&#95;", "_");
    expect(markdown).toContain(`- **+50.0** <code>${name}</code> Title of ${name}: fixed on **${name}**`);
    expect(renderText(report([check]))).toContain(name);
  });

  it("as a logical ID and a resource type of a deployed stack: compared, replaced with its reason", () => {
    const head = template(`Resources:\n  ${quoted(name)}:\n    Type: AWS::S3::Bucket\n  Thing:\n    Type: ${quoted(name)}\n    Properties: { Name: b }\n`);
    const deployed = template(`Resources:\n  ${quoted(name)}:\n    Type: AWS::SQS::Queue\n  Thing:\n    Type: ${quoted(name)}\n    Properties: { Name: a }\n`);
    const changes = computeChanges(
      head,
      [
        { logicalId: name, physicalId: "q", type: "AWS::SQS::Queue", status: null, drift: null },
        { logicalId: "Thing", physicalId: "t", type: name, status: null, drift: null },
      ],
      deployed,
    );
    // The unknown type has no properties known to force a replacement.
    expect(changes.replaced).toEqual([name]);
    expect(Object.getPrototypeOf(changes.replacedBecause)).toBeNull();
    expect(Object.keys(changes.replacedBecause)).toEqual([name]);
    const live = { ok: true, error: null, stack: "s", stackId: null, region: null, status: null, lastUpdated: null, drift: null, driftCheckedAt: null, resources: [], changes, disagreements: [], unmatchedConfigRules: [], fitness: null, score: null, coverage: { supported: 0, checked: 0, config: false }, warnings: [] } satisfies LiveReport;
    expect(renderLiveSection(live, 50)).toContain("replaced on deploy: its type changes from AWS::SQS::Queue to AWS::S3::Bucket");
  });
});
