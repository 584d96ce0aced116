import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import type { Rule } from "../../src/fitness/types.js";
import { contextOf, corpusContext } from "../rules/helpers.js";
import { outcome, score } from "./helpers.js";

const TWO_BUCKETS = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Metadata:
      sam-fitness:
        skip:
          - id: s3-bucket-logging-enabled
            reason: this is the log bucket
          - id: s3-bucket-versioning-enabled
  Data:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: { Status: Enabled }
`;

describe("scoreTemplate", () => {
  it("honours a suppression with a reason, keeps it visible, and leaves it out of the pass rate", () => {
    const f = score(TWO_BUCKETS);
    const logging = outcome(f, "s3-bucket-logging-enabled");
    expect(logging.results.find((r) => r.resource === "Logs")).toMatchObject({ status: "suppressed", reason: "this is the log bucket" });
    expect(logging.passRate).toBe(0); // only Data counts, and it fails
  });

  it("reports a suppression without a reason and does not apply it", () => {
    const f = score(TWO_BUCKETS);
    expect(f.notes.some((n) => n.includes("Logs") && n.includes("s3-bucket-versioning-enabled") && n.includes("no reason"))).toBe(true);
    expect(outcome(f, "s3-bucket-versioning-enabled").results.find((r) => r.resource === "Logs")?.status).toBe("fail");
    expect(outcome(f, "s3-bucket-versioning-enabled").passRate).toBe(0.5);
  });

  it("a throwing rule becomes a note; the other rules still score", () => {
    const broken: Rule = { id: "broken", title: "Broken", category: "operations", weight: 5, appliesTo: [], docs: "", evaluate: () => { throw new Error("boom"); } };
    const f = score(TWO_BUCKETS, {}, [...BUILTIN_RULES, broken]);
    expect(f.notes).toContain("rule broken failed and was skipped: boom");
    expect(outcome(f, "broken").passRate).toBeNull();
    expect(Number.isFinite(f.score)).toBe(true);
  });

  it("clamps out-of-range scores from a rule and says so", () => {
    const wild: Rule = { id: "wild", title: "Wild", category: "cost", weight: 1, appliesTo: [], docs: "", evaluate: () => [{ resource: "Data", score: 7, message: "", line: 3 }, { resource: "Logs", score: Number.NaN, message: "", line: 2 }] };
    const f = score(TWO_BUCKETS, {}, [wild]);
    expect(outcome(f, "wild").passRate).toBe(0.5);
    expect(f.notes.filter((n) => n.includes("clamped"))).toHaveLength(2);
  });

  it("applies per-rule weight and enabled from the config", () => {
    const f = score(TWO_BUCKETS, { rules: { "s3-bucket-logging-enabled": { enabled: false }, "s3-bucket-versioning-enabled": { weight: 10 } } });
    expect(f.rules.some((r) => r.id === "s3-bucket-logging-enabled")).toBe(false);
    expect(outcome(f, "s3-bucket-versioning-enabled").weight).toBe(10);
  });

  it("a template where no rule applies has quality 100", () => {
    const f = score("Resources:\n  Topic:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: x }\n");
    expect(f.quality).toBe(100);
    expect(f.suggestions).toEqual([]);
  });

  it("each suggestion's gain equals the score change of actually re-scoring with that result passing", () => {
    const context = corpusContext("seed/evolutionary-template.yaml");
    const config = defaultConfig();
    const base = scoreTemplate(context, config);
    expect(base.suggestions.length).toBeGreaterThan(10);
    for (const s of base.suggestions) {
      const patched = BUILTIN_RULES.map((rule): Rule =>
        rule.id !== s.rule ? rule : { ...rule, evaluate: (c) => rule.evaluate(c).map((f) => (f.resource === s.resource ? { ...f, score: 1 } : f)) },
      );
      const after = scoreTemplate(context, config, patched);
      expect(after.score - base.score).toBeCloseTo(s.gain, 9);
    }
  });

  it("never throws on malformed templates: wrong shapes where maps are expected", () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: "not a map"
Resources:
  F:
    Type: AWS::Serverless::Function
    Metadata: { sam-fitness: "skip everything" }
    Properties:
      Events: [1, 2]
      DeploymentPreference: "yes"
      AutoPublishAlias: live
      FunctionUrlConfig: null
  Q:
    Type: AWS::SQS::Queue
    Properties: [a, b]
  R:
    Type: AWS::Events::Rule
    Properties: { Targets: "none" }
  P:
    Type: AWS::Lambda::Permission
    Properties: { FunctionName: { "Fn::If": [c] }, Principal: { AWS: ["*"] } }
`;
    const f = scoreTemplate(contextOf(text), defaultConfig());
    expect(Number.isFinite(f.score)).toBe(true);
    expect(f.notes.some((n) => n.includes("failed"))).toBe(false);
    expect(f.notes.some((n) => n.includes("Metadata.sam-fitness.skip"))).toBe(true);
  });
});

describe("template-level suppressions", () => {
  it("suppress a resource without Metadata of its own (the implicit API), or a rule everywhere", () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Metadata:
  sam-fitness:
    skip:
      - id: api-gw-authorization-configured
        resource: ServerlessRestApi
        reason: public read-only catalogue
      - id: lambda-function-xray-enabled
        reason: tracing is sampled by the platform team
      - id: api-gw-xray-enabled
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: src/
      Events:
        Get: { Type: Api, Properties: { Path: /, Method: get } }
`;
    const f = score(text);
    expect(outcome(f, "api-gw-authorization-configured").results[0]).toMatchObject({ resource: "ServerlessRestApi", status: "suppressed", reason: "public read-only catalogue" });
    expect(outcome(f, "api-gw-authorization-configured").passRate).toBeNull();
    expect(outcome(f, "lambda-function-xray-enabled").results[0]?.status).toBe("suppressed");
    expect(outcome(f, "api-gw-xray-enabled").results[0]?.status).toBe("fail");
    expect(f.notes.some((n) => n.startsWith("Metadata:") && n.includes("api-gw-xray-enabled"))).toBe(true);
  });
});
