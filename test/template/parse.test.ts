import { describe, expect, it } from "vitest";
import { parseTemplate, positionAlong, positionOf } from "../../src/template/index.js";
import type { Template } from "../../src/template/index.js";
import { readCorpus } from "../support/corpus.js";

function parse(text: string, file = "template.yaml"): Template {
  const result = parseTemplate(text, file);
  if (!result.ok) throw new Error(`${result.error.line}:${result.error.column} ${result.error.message}`);
  return result.template;
}

function failure(text: string): { message: string; line: number; column: number } {
  const result = parseTemplate(text, "bad.yaml");
  if (result.ok) throw new Error("expected a parse failure");
  expect(result.file).toBe("bad.yaml");
  return result.error;
}

const TAGS_YAML = `
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition IsProd, !Condition NotProd]]
Parameters:
  Env: { Type: String }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      A: !Ref Env
      B: !GetAtt Table.Arn
      C: !GetAtt [Table, StreamArn]
      D: !Sub "\${Table.Arn}/index/*"
      E: !Join [":", [a, !Ref Env]]
      F: !If [IsProd, 1, 2]
      G: !Select [0, !GetAZs ""]
      H: !Split [",", "a,b"]
      I: !FindInMap [Map, !Ref Env, Key]
      J: !ImportValue Shared
      K: !Base64 text
      L: !Cidr [10.0.0.0/16, 4, 8]
      M: !Transform { Name: AWS::Include, Parameters: { Location: s3://x } }
      N: !GetAtt Nested.Outputs.Value
  Table:
    Type: AWS::DynamoDB::Table
  Nested:
    Type: AWS::CloudFormation::Stack
`;

const TAGS_JSON = JSON.stringify({
  Parameters: { Env: { Type: "String" } },
  Resources: {
    Fn: {
      Type: "AWS::Serverless::Function",
      Properties: {
        A: { Ref: "Env" },
        B: { "Fn::GetAtt": "Table.Arn" },
        C: { "Fn::GetAtt": ["Table", "StreamArn"] },
        D: { "Fn::Sub": "${Table.Arn}/index/*" },
        F: { "Fn::If": ["IsProd", 1, 2] },
      },
    },
    Table: { Type: "AWS::DynamoDB::Table" },
  },
}, null, 2);

describe("intrinsics", () => {
  it("normalises every short tag to the long JSON form", () => {
    const t = parse(TAGS_YAML);
    const p = t.resources.get("Fn")?.properties as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(p))).toEqual({
      A: { Ref: "Env" },
      B: { "Fn::GetAtt": ["Table", "Arn"] },
      C: { "Fn::GetAtt": ["Table", "StreamArn"] },
      D: { "Fn::Sub": "${Table.Arn}/index/*" },
      E: { "Fn::Join": [":", ["a", { Ref: "Env" }]] },
      F: { "Fn::If": ["IsProd", 1, 2] },
      G: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      H: { "Fn::Split": [",", "a,b"] },
      I: { "Fn::FindInMap": ["Map", { Ref: "Env" }, "Key"] },
      J: { "Fn::ImportValue": "Shared" },
      K: { "Fn::Base64": "text" },
      L: { "Fn::Cidr": ["10.0.0.0/16", 4, 8] },
      M: { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://x" } } },
      N: { "Fn::GetAtt": ["Nested", "Outputs.Value"] },
    });
    const conditions = JSON.parse(JSON.stringify(t.root["Conditions"]));
    expect(conditions).toEqual({
      IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      NotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
      Both: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Or": [{ Condition: "IsProd" }, { Condition: "NotProd" }] }] },
    });
  });

  it("gives the same values for the long form in JSON", () => {
    const yaml = parse(TAGS_YAML).resources.get("Fn")?.properties as Record<string, unknown>;
    const json = parse(TAGS_JSON, "template.json");
    expect(json.format).toBe("json");
    const jp = json.resources.get("Fn")?.properties as Record<string, unknown>;
    for (const key of ["A", "B", "C", "D", "F"]) expect(JSON.stringify(jp[key])).toBe(JSON.stringify(yaml[key]));
  });
});

describe("positions", () => {
  it("keeps the line and column of resources, properties and intrinsics", () => {
    const t = parse(TAGS_YAML);
    const fn = t.resources.get("Fn");
    expect(fn?.position).toEqual({ line: 9, column: 3 });
    expect(positionOf(fn?.properties, "B")).toEqual({ line: 13, column: 7 });
    const e = fn?.properties["E"] as Record<string, unknown[]>;
    // the !Ref inside the !Join list
    // (a tagged value is located at the value after its tag)
    expect(positionOf(e["Fn::Join"]?.[1], 1)).toEqual({ line: 16, column: 31 });
    expect(positionAlong(fn?.properties, ["L", "Fn::Cidr", 2])?.line).toBe(23);
    // a missing property points at its nearest existing parent
    expect(positionAlong(fn?.raw, ["Properties", "Nope", "Deeper"])).toEqual(positionOf(fn?.raw, "Properties"));
  });

  it("keeps lines in JSON templates", () => {
    const t = parse(TAGS_JSON, "template.json");
    const lines = TAGS_JSON.split("\n");
    expect(t.resources.get("Table")?.position).toEqual({ line: lines.indexOf('    "Table": {') + 1, column: 5 });
    expect(positionOf(t.resources.get("Fn")?.properties, "D")?.line).toBe(lines.findIndex((l) => l.includes('"D":')) + 1);
  });
});

describe("SAM Globals", () => {
  it("merges Globals as the SAM translator does (maps merge, lists append, scalars override)", () => {
    const t = parse(readCorpus("sam-translator/input/globals_for_function.yaml"));
    const p = JSON.parse(JSON.stringify(t.resources.get("FunctionWithOverrides")?.properties));
    const translated = JSON.parse(readCorpus("sam-translator/output/globals_for_function.json")).Resources.FunctionWithOverrides.Properties;
    expect(p.Runtime).toBe(translated.Runtime);
    expect(p.MemorySize).toBe(translated.MemorySize);
    expect(p.Timeout).toBe(translated.Timeout);
    expect(p.VpcConfig).toEqual(translated.VpcConfig);
    expect(p.Environment).toEqual(translated.Environment);
    expect(p.Layers).toEqual(translated.Layers);
    const minimal = JSON.parse(JSON.stringify(t.resources.get("MinimalFunction")?.properties));
    expect(minimal.Runtime).toBe("python2.7");
    expect(minimal.Tracing).toBe("Active");
  });

  it("points inherited values at their line in Globals", () => {
    const t = parse(readCorpus("sam-translator/input/globals_for_function.yaml"));
    const minimal = t.resources.get("MinimalFunction");
    expect(positionOf(minimal?.properties, "Runtime")?.line).toBe(5);
    const overrides = t.resources.get("FunctionWithOverrides");
    expect(positionOf(overrides?.properties, "Runtime")?.line).toBeGreaterThan(40);
    // Env vars: inherited Var1 at its Globals line, own Var3 at its own line
    const vars = (overrides?.properties["Environment"] as Record<string, unknown>)["Variables"];
    expect(positionOf(vars, "Var1")?.line).toBe(15);
    expect(positionOf(vars, "Var3")?.line).toBe(60);
  });

  it("does not let an intrinsic in Globals merge into a map", () => {
    const t = parse(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment: !If [C, { Variables: { A: 1 } }, !Ref AWS::NoValue]
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Environment: { Variables: { B: 2 } }
`);
    expect(JSON.parse(JSON.stringify(t.resources.get("F")?.properties["Environment"]))).toEqual({ Variables: { B: 2 } });
  });
});

describe("bad input", () => {
  it("reports invalid YAML with its line", () => {
    const e = failure("Resources:\n  A:\n    Type: [unclosed\n");
    expect(e.line).toBeGreaterThanOrEqual(3);
  });

  it("reports documents that are not templates", () => {
    expect(failure("").message).toMatch(/empty/);
    expect(failure("# only a comment\n").message).toMatch(/empty/);
    expect(failure("- a\n- b\n").message).toMatch(/list/);
    expect(failure("just a string\n").message).toMatch(/single string/);
    expect(failure("Description: x\n").message).toMatch(/no Resources section/);
    expect(failure("Resources: [a, b]\n")).toMatchObject({ line: 1, message: expect.stringMatching(/mapping/) });
    expect(failure("Resources: {}\n---\nResources: {}\n").message).toMatch(/more than one YAML document/);
  });

  it("reports unknown tags with their line", () => {
    const e = failure("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Reff B\n");
    expect(e).toMatchObject({ line: 5, message: expect.stringMatching(/unknown tag !Reff/) });
  });

  it("warns about duplicate keys and keeps the last value", () => {
    const t = parse("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Type: AWS::SQS::Queue\n");
    expect(t.resources.get("A")?.type).toBe("AWS::SQS::Queue");
    expect(t.diagnostics).toContainEqual({ severity: "warning", message: "duplicate key Type: the last one is used", line: 4, column: 5 });
  });

  it("warns about references to logical IDs that do not exist", () => {
    const t = parse("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !GetAtt Missing.Arn\n      Y: !Sub '${AWS::Region}-${Other}'\n");
    expect(t.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [5, "!GetAtt Missing refers to Missing, which is not a resource or parameter of this template"],
      [6, "${Other} refers to Other, which is not a resource or parameter of this template"],
    ]);
  });

  it("accepts references to what SAM generates", () => {
    const t = parse(readCorpus("seed/evolutionary-template.yaml"));
    expect(t.diagnostics).toEqual([]);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    lines.push("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: { X: *a11 }");
    const started = Date.now();
    const e = failure(lines.join("\n"));
    expect(e.message).toMatch(/expands to more than [\d,]+ nodes/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("resolves each alias to the closest anchor of its name before it, also when the name is reused", () => {
    const t = parse(
      [
        "Resources:",
        "  A:",
        "    Type: AWS::SQS::Queue",
        "    Properties: &p { VisibilityTimeout: 10 }",
        "  B:",
        "    Type: AWS::SQS::Queue",
        "    Properties: *p",
        "  C:",
        "    Type: AWS::SQS::Queue",
        "    Properties: &p { VisibilityTimeout: 20 }",
        "  D:",
        "    Type: AWS::SQS::Queue",
        "    Properties: *p",
      ].join("\n"),
    );
    expect(["B", "D"].map((id) => t.resources.get(id)?.properties["VisibilityTimeout"])).toEqual([10, 20]);
  });

  it("parses a template with thousands of aliases without re-reading the document for each", () => {
    const lines = ["Resources:", "  Base:", "    Type: AWS::SQS::Queue", "    Properties: &props { VisibilityTimeout: 30 }"];
    for (let i = 0; i < 5000; i++) lines.push(`  Q${i}:`, "    Type: AWS::SQS::Queue", "    Properties: *props");
    const t = parse(lines.join("\n"));
    expect(t.resources.size).toBe(5001);
    expect(t.resources.get("Q4999")?.properties["VisibilityTimeout"]).toBe(30);
  });

  it("refuses absurd nesting without overflowing the stack", () => {
    const deep = "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    const e = failure(deep);
    expect(e.line).toBe(5);
  });

  it("holds .json templates to JSON, with the line and column of the mistake", () => {
    const trailing = parseTemplate('{\n  "Resources": {\n    "Q": { "Type": "AWS::SQS::Queue" },\n  }\n}\n', "t.json");
    expect(trailing).toMatchObject({ ok: false, error: { line: 4, column: 3, message: expect.stringMatching(/^invalid JSON: /) } });
    const tab = parseTemplate('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a\tb"}}}}', "t.json");
    expect(tab).toMatchObject({ ok: false, error: { line: 1, message: expect.stringMatching(/control character/) } });
    const bare = parseTemplate('{\n  "Resources": {\n    "T": { "Type": AWS::SNS::Topic }\n  }\n}\n', "t.json");
    expect(bare).toMatchObject({ ok: false, error: { line: 3, column: 20, message: "invalid JSON: Unexpected token 'A'" } });
    const extra = parseTemplate('{"Resources": {}}\n}', "t.json");
    expect(extra).toMatchObject({ ok: false, error: { line: 2, column: 1, message: "invalid JSON: Unexpected non-whitespace character after the JSON value" } });
    // The same text in a file not named .json is read as YAML flow style, which allows both.
    expect(parseTemplate('{\n  "Resources": {\n    "Q": { "Type": "AWS::SQS::Queue" },\n  }\n}\n', "t.template").ok).toBe(true);
  });

  it("leaves Fn::ForEach loops out with a warning, not an error that fails the gate", () => {
    const t = parse(
      [
        "Transform: AWS::LanguageExtensions",
        "Resources:",
        "  Fn::ForEach::Topics:",
        "    - Name",
        "    - [Orders, Billing]",
        "    - Topic${Name}:",
        "        Type: AWS::SNS::Topic",
        "  Queue:",
        "    Type: AWS::SQS::Queue",
      ].join("\n"),
    );
    expect([...t.resources.keys()]).toEqual(["Queue"]);
    expect(t.diagnostics).toEqual([expect.objectContaining({ severity: "warning", line: 3, message: expect.stringMatching(/Fn::ForEach::Topics .* not expanded/) })]);
  });

  it("treats __proto__ and constructor as ordinary logical IDs", () => {
    const t = parse("Resources:\n  __proto__:\n    Type: AWS::S3::Bucket\n  constructor:\n    Type: AWS::SQS::Queue\n    Properties:\n      __proto__: { polluted: true }\n");
    expect([...t.resources.keys()]).toEqual(["__proto__", "constructor"]);
    expect(t.resources.get("__proto__")?.type).toBe("AWS::S3::Bucket");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("leaves out a resource without a Type with an error and keeps the rest", () => {
    const t = parse(readCorpus("sam-translator/input/unsupported_resources.yaml"));
    expect(t.resources.has("ResourceMissingTypeShouldBeAccepted")).toBe(false);
    expect(t.diagnostics.some((d) => d.severity === "error" && d.line === 5 && d.column === 3 && d.message.includes("no Type"))).toBe(true);
  });
});

describe("IgnoreGlobals", () => {
  it("leaves out all Globals with '*' and the named ones with a list, as SAM does", () => {
    const t = parse(readCorpus("sam-translator/input/function_with_ignore_globals.yaml"));
    const props = (id: string): Record<string, unknown> => JSON.parse(JSON.stringify(t.resources.get(id)?.properties));
    expect(props("ZipFunction")).toMatchObject({ Runtime: "python3.11", Handler: "index.lambda_handler", MemorySize: 128 });
    expect(props("ImageFunction")).not.toHaveProperty("Runtime");
    expect(props("ImageFunction")).not.toHaveProperty("MemorySize");
    expect(props("ImageFunction2")).not.toHaveProperty("Runtime");
    expect(props("ImageFunction2")).not.toHaveProperty("Handler");
    expect(props("ImageFunction2")).toMatchObject({ MemorySize: 128 });
    const translated = JSON.parse(readCorpus("sam-translator/output/function_with_ignore_globals.json")).Resources;
    expect(translated.ImageFunction.Properties.MemorySize).toBeUndefined();
    expect(translated.ImageFunction2.Properties.MemorySize).toBe(128);
  });
});
