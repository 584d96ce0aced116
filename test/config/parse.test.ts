import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../../src/config/index.js";
import { scoreTemplate } from "../../src/app/rule-set.js";
import { contextOf } from "../rules/helpers.js";

const FULL = `# sam-fitness configuration
lambda: 0.2
complexity-cap: 5
threshold: 70
max-decrease: 2.5
rules:
  s3-bucket-replication-enabled: { enabled: false }
  safe-deployments:
    weight: 5
  functions-have-tracing-tag: { weight: 2 }
custom-rules:
  - id: functions-have-tracing-tag
    title: Functions are tagged with a team
    category: operations
    resource-types: [AWS::Serverless::Function, AWS::Lambda::Function]
    path: Tags.team
    condition: { exists: true }
    message: the function has no team tag
    fix: Add Tags.team
  - id: queues-retain-4-days
    title: Queues keep messages 4 days
    resource-types: AWS::SQS::Queue
    path: [MessageRetentionPeriod]
    condition: { in: [345600, 1209600] }
    message: retention is not 4 or 14 days
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, ".github/sam-fitness.yml");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("reads every key", () => {
    const c = parseConfig(FULL, "cfg.yml");
    expect(c).toMatchObject({ file: "cfg.yml", lambda: 0.2, complexityCap: 5, threshold: 70, maxDecrease: 2.5, allowCodeRules: false });
    expect(c.rules["s3-bucket-replication-enabled"]).toEqual({ enabled: false });
    expect(c.rules["safe-deployments"]).toEqual({ weight: 5 });
    expect(c.customRules.map((r) => r.id)).toEqual(["functions-have-tracing-tag", "queues-retain-4-days"]);
    expect(c.customRules[1]?.weight).toBe(1);
  });

  it("an empty file is the defaults", () => {
    expect(parseConfig("", "x.yml")).toMatchObject({ lambda: DEFAULT_CONFIG.lambda, threshold: null, customRules: [] });
  });

  it("names the key and line of an unknown key, an unknown rule id and a wrong type", () => {
    const unknownKey = errorOf("lambda: 0.1\nthreshhold: 50\n");
    expect(unknownKey).toMatchObject({ key: "threshhold", line: 2 });
    expect(unknownKey.message).toMatch(/^\.github\/sam-fitness\.yml:2: threshhold: unknown key/);
    expect(errorOf("rules:\n  s3-bucket-versioning: { weight: 2 }\n")).toMatchObject({ key: "rules.s3-bucket-versioning", line: 2 });
    expect(errorOf("rules:\n  safe-deployments:\n    weight: heavy\n")).toMatchObject({ key: "rules.safe-deployments.weight", line: 3 });
    expect(errorOf("rules:\n  safe-deployments: { enabled: 1 }\n").message).toMatch(/expected true or false/);
    expect(errorOf("lambda: -1\n").message).toMatch(/between 0 and 100/);
    expect(errorOf("threshold: [1]\n").message).toMatch(/expected a number, got a list/);
    expect(errorOf("- just\n- a list\n").message).toMatch(/expected a map/);
  });

  it("rejects malformed YAML and bad custom rules with the key at fault", () => {
    expect(errorOf("rules: {\n").key).toBe("(file)");
    const base = "custom-rules:\n  - id: x-rule\n    title: X\n    resource-types: AWS::SQS::Queue\n    path: A\n    message: m\n";
    expect(errorOf(`${base}    condition: { matches: "(" }\n`)).toMatchObject({ key: "custom-rules.0.condition.matches", line: 7 });
    expect(errorOf(`${base}    condition: { exists: true, equals: 1 }\n`).key).toBe("custom-rules.0.condition");
    expect(errorOf(`${base}    condition: { within: 1 }\n`).key).toBe("custom-rules.0.condition.within");
    expect(errorOf(`${base}    condition: { exists: true }\n    category: style\n`).key).toBe("custom-rules.0.category");
    expect(errorOf(base.replace("x-rule", "safe-deployments") + "    condition: { exists: true }\n").message).toMatch(/already taken/);
    expect(errorOf(base.replace("    path: A\n", "") + "    condition: { exists: true }\n").message).toMatch(/missing required key "path"/);
  });

  it("custom rules score like built-in ones, through intrinsics", () => {
    const config = parseConfig(FULL, "cfg.yml");
    const template = `Conditions:
  Long: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Q1:
    Type: AWS::SQS::Queue
    Properties: { MessageRetentionPeriod: 345600 }
  Q2:
    Type: AWS::SQS::Queue
    Properties: { MessageRetentionPeriod: !If [Long, 1209600, 60] }
  Q3:
    Type: AWS::SQS::Queue
`;
    const f = scoreTemplate(contextOf(template), config);
    const rule = f.rules.find((r) => r.id === "queues-retain-4-days");
    expect(rule?.results.map((r) => [r.resource, r.score])).toEqual([["Q1", 1], ["Q2", 0.5], ["Q3", 0]]);
    expect(rule?.results[2]?.message).toBe("retention is not 4 or 14 days");
    expect(f.rules.some((r) => r.id === "s3-bucket-replication-enabled")).toBe(false);
    expect(f.complexity).toMatchObject({ lambda: 0.2, cap: 5 });
  });

  it("matches patterns in linear time: ^(a+)+$ against 129 characters takes milliseconds, not hours", () => {
    const config = parseConfig(
      "custom-rules:\n  - id: names-are-a\n    title: A\n    resource-types: AWS::SQS::Queue\n    path: QueueName\n    condition: { matches: '^(a+)+$' }\n    message: m\n",
      "cfg.yml",
    );
    const template = `Resources:\n  Q1:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: ${"a".repeat(128)}b }\n  Q2:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: aaaa }\n`;
    const started = performance.now();
    const f = scoreTemplate(contextOf(template), config);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(f.rules.find((r) => r.id === "names-are-a")?.results.map((r) => [r.resource, r.score])).toEqual([["Q1", 0], ["Q2", 1]]);
  });

  it("refuses backreferences and lookaround with a config error at the pattern's line", () => {
    const base = "custom-rules:\n  - id: x-rule\n    title: X\n    resource-types: AWS::SQS::Queue\n    path: A\n    message: m\n";
    for (const pattern of ["(a)\\\\1", "(?=a)b", "(?<!x)y"]) {
      const error = errorOf(`${base}    condition: { matches: "${pattern}" }\n`);
      expect(error, pattern).toMatchObject({ key: "custom-rules.0.condition.matches", line: 7 });
      expect(error.message, pattern).toMatch(/unsupported regular expression \(RE2 syntax/);
    }
  });
});
