import { describe, expect, it } from "vitest";
import { checkTemplates } from "../../src/app/check.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { compareFitness } from "../../src/fitness/delta.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import type { Delta, Fitness } from "../../src/fitness/types.js";
import { buildGraph } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import type { Resource, Template } from "../../src/template/types.js";
import { corpusFiles, INVALID_PATTERNS, readCorpus } from "../support/corpus.js";
import { score } from "./helpers.js";

function parse(text: string, file: string): Template | null {
  const parsed = parseTemplate(text, file);
  return parsed.ok ? parsed.template : null;
}

/**
 * A deterministic mutation of a parsed template: drops every third
 * resource, strips the first property of every other remaining one, and adds
 * an unencrypted bucket (so at least one rule applies only on head).
 */
function mutate(template: Template): void {
  let i = 0;
  for (const [id, resource] of [...template.resources]) {
    i++;
    if (i % 3 === 0) template.resources.delete(id);
    else if (i % 2 === 0) {
      const first = Object.keys(resource.properties)[0];
      if (first !== undefined) delete resource.properties[first];
    }
  }
  const added: Resource = { id: "AddedByMutation", type: "AWS::S3::Bucket", properties: Object.create(null), raw: Object.create(null), metadata: undefined, condition: undefined, dependsOn: [], position: { line: 1, column: 1 } };
  template.resources.set(added.id, added);
}

function fitnessOf(template: Template, weights: Record<string, { weight?: number; enabled?: boolean }> = {}): Fitness {
  return scoreTemplate({ template, graph: buildGraph(template) }, { ...defaultConfig(), rules: weights });
}

function expectExact(base: Fitness, head: Fitness, delta: Delta | null): void {
  expect(delta).not.toBeNull();
  const d = delta as Delta;
  const byRule = Object.values(d.byRule).reduce((a, b) => a + b, 0);
  const byResource = Object.values(d.byResource ?? {}).reduce((a, b) => a + b, 0);
  expect(d.score).toBeCloseTo(head.score - base.score, 9);
  expect(byRule + (d.baseline ?? 0) + d.complexity).toBeCloseTo(head.score - base.score, 9);
  expect(byResource).toBeCloseTo(byRule, 9);
  expect(d.complexity).toBeCloseTo(base.complexity.penalty - head.complexity.penalty, 12);
}

function checkFolder(folder: string, filter: (name: string) => boolean): number {
  let pairs = 0;
  for (const file of corpusFiles(folder, filter)) {
    if (INVALID_PATTERNS.has(file)) continue;
    const text = readCorpus(file);
    const base = parse(text, file);
    const head = parse(text, file);
    if (!base || !head) continue;
    mutate(head);
    // Different weights and rule sets on each side: attribution must still add up.
    const b = fitnessOf(base, { "safe-deployments": { weight: 7 } });
    const h = fitnessOf(head, { "lambda-function-settings-check": { enabled: false } });
    expectExact(b, h, compareFitness(b, h));
    pairs++;
  }
  return pairs;
}

describe("compareFitness: exact attribution", () => {
  it("adds up on every translator input against a mutated copy", () => {
    expect(checkFolder("sam-translator/input", (n) => !n.startsWith("error_"))).toBeGreaterThan(300);
  });

  it("adds up on every translated output against a mutated copy", () => {
    expect(checkFolder("sam-translator/output", (n) => !n.startsWith("error_"))).toBeGreaterThan(300);
  });

  it("adds up on the serverless-patterns templates against mutated copies", () => {
    expect(checkFolder("serverless-patterns", () => true)).toBeGreaterThan(50);
  });

  it("attributes a fixed bucket to the encryption rule and the bucket", () => {
    const base = score("Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    const head = score("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 } }]\n");
    const d = compareFitness(base, head) as Delta;
    expectExact(base, head, d);
    const top = Object.entries(d.byRule).sort((x, y) => y[1] - x[1])[0];
    expect(top?.[0]).toBe("s3-bucket-server-side-encryption-enabled");
    expect(d.byResource?.["B"]).toBeCloseTo(d.score, 9);
  });

  it("uses the baseline term when one side has no applicable rule", () => {
    const base = score("Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: x }\n");
    const head = score("Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    const d = compareFitness(base, head) as Delta;
    expect(d.baseline).toBe(-100);
    expectExact(base, head, d);
  });

  it("is null when a side is missing (template added or deleted)", () => {
    const f = score("Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    expect(compareFitness(null, f)).toBeNull();
    expect(compareFitness(f, null)).toBeNull();
  });
});

describe("compareFitness: logical IDs that are names of Object.prototype members", () => {
  const IDS = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"];
  const template = (encrypted: boolean) =>
    "Resources:\n" +
    IDS.map(
      (id) =>
        `  ${JSON.stringify(id)}:\n    Type: AWS::SQS::Queue\n` +
        (encrypted ? "    Properties:\n      SqsManagedSseEnabled: true\n" : "    Properties:\n      SqsManagedSseEnabled: false\n"),
    ).join("");

  it("byResource through checkTemplates: plain numbers for each, __proto__ kept as an ordinary key", () => {
    const report = checkTemplates([{ file: "t.yaml", head: template(true), base: template(false) }], defaultConfig(), { toolVersion: "test", configPath: null });
    const delta = report.templates[0]!.delta!;
    expect(delta).not.toBeNull();
    const byResource = delta.byResource!;
    for (const id of IDS) {
      expect(Object.prototype.hasOwnProperty.call(byResource, id), id).toBe(true);
      expect(typeof byResource[id], id).toBe("number");
      expect(Number.isFinite(byResource[id]), id).toBe(true);
      expect(byResource[id]!, id).toBeGreaterThan(0);
    }
    // Through JSON (the `check --format json` contract): plain numbers, __proto__ an own key.
    const json = JSON.parse(JSON.stringify(delta)) as { byResource: Record<string, unknown>; byRule: Record<string, unknown> };
    expect(Object.keys(json.byResource).sort()).toEqual([...IDS].sort());
    for (const id of IDS) expect(typeof json.byResource[id], id).toBe("number");
    expect(Object.values(json.byRule).every((v) => typeof v === "number")).toBe(true);
    // The split still adds up to the quality change.
    const sum = Object.values(byResource).reduce((a, b) => a + b, 0);
    const rules = Object.values(delta.byRule).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(rules, 9);
  });
});
