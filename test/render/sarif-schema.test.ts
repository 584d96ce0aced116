import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { renderSarif } from "../../src/render/sarif.js";
import { checkTemplates } from "../../src/app/check.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { corpusFiles, readCorpus } from "../support/corpus.js";
import { hostileTemplate } from "./helpers/hostile.js";

// The official SARIF 2.1.0 JSON schema (draft-04), as shipped by Microsoft's SARIF test matchers.
const require = createRequire(import.meta.url);
// A CommonJS module whose export is the class itself.
const Ajv04 = require("ajv-draft-04") as typeof AjvDraft04.default;
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object;
const validate = new Ajv04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);

function sarifOf(files: { file: string; text: string }[]): unknown {
  const report = checkTemplates(
    files.map((f) => ({ file: f.file, head: f.text, base: undefined })),
    defaultConfig(),
    { toolVersion: "test", configPath: null },
  );
  return JSON.parse(JSON.stringify(renderSarif(report, BUILTIN_RULES)));
}

describe("SARIF output against the official SARIF 2.1.0 schema", () => {
  it("is valid for the seed and a sample of real templates", () => {
    const files = ["seed/evolutionary-template.yaml", ...corpusFiles("serverless-patterns").filter((_, i) => i % 20 === 0)];
    const sarif = sarifOf(files.map((file) => ({ file, text: readCorpus(file) })));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = (sarif as { runs: { results: unknown[] }[] }).runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(10);
  });

  it("is valid with results suppressed in the template", () => {
    const text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      sam-fitness:\n        skip:\n          - { id: s3-bucket-logging-enabled, reason: receives the access logs }\n";
    const sarif = sarifOf([{ file: "t.yaml", text }]);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(JSON.stringify(sarif)).toContain('"suppressions":[{"kind":"inSource","justification":"receives the access logs"}]');
  });

  it("rejects a log the schema forbids (the validator is really checking)", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
    expect(validate({ version: "3.0", runs: [] })).toBe(false);
  });

  it("is valid with template problems: the corpus's unparseable templates and a template with diagnostics", () => {
    const broken = ["serverless-patterns/apigw-custom-domain-edge__template.yaml", "serverless-patterns/rds-sns-event-notification__template.yaml"];
    const withDiagnostics = "Resources:\n  NoType:\n    Properties: {}\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !Ref Missing }\n";
    const sarif = sarifOf([...broken.map((file) => ({ file, text: readCorpus(file) })), { file: "diagnostics.yaml", text: withDiagnostics }]);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = (sarif as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!.results;
    const parseErrors = results.filter((r) => r.ruleId === "template-parse-error");
    expect(parseErrors.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri).sort()).toEqual([...broken].sort());
    expect(parseErrors.every((r) => r.level === "error")).toBe(true);
    expect(results.map((r) => r.ruleId)).toEqual(expect.arrayContaining(["template-error", "template-warning"]));
  });

  it("is valid for a hostile template", () => {
    expect(validate(sarifOf([{ file: "hostile <x>/t #1.yaml", text: hostileTemplate() }])), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
