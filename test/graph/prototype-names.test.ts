/**
 * Template strings named like members of Object.prototype ("constructor",
 * "__proto__", "toString", "valueOf", ...) used wherever a template names a
 * type or a key that the tool looks up in a table of its own: they are
 * unknown names, handled like any other unknown name, never a crash, a
 * function where a type belongs, or a replaced prototype (issue #11).
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { checkTemplates, type TemplateInput } from "../../src/app/check.js";
import { toJsonReport } from "../../src/app/json-report.js";
import { graphTemplate } from "../../src/app/graph.js";
import { defaultConfig } from "../../src/config/index.js";
import type { CheckReport, TemplateCheck } from "../../src/fitness/types.js";
import type { EventGraph, GraphNode, NodeKind } from "../../src/graph/types.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderMermaid } from "../../src/render/mermaid.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";
import { edge, edgeList } from "../support/graph.js";
import { PROTOTYPE_NAMES, quoted } from "../support/prototype-names.js";


const KINDS: ReadonlySet<string> = new Set<NodeKind>([
  "function", "state-machine", "api", "graphql-api", "table", "bucket", "queue", "topic", "stream", "event-bus", "rule", "schedule",
  "log-group", "layer", "user-pool", "alarm", "secret", "key", "parameter-store", "cluster", "database", "cache", "file-system",
  "iot-rule", "pipe", "pipeline", "stack", "other", "external",
]);

const q = quoted;

const FUNCTION = ["    Type: AWS::Serverless::Function", "    Properties:", "      Runtime: python3.12", "      Handler: app.handler", "      CodeUri: ."];

function sam(...lines: string[]): string {
  return ["Transform: AWS::Serverless-2016-10-31", ...lines, ""].join("\n");
}

/** One way of using `name` in a template, and what the graph must then be. */
interface Scenario {
  what: string;
  template: (name: string) => string;
  expect: (graph: EventGraph, name: string) => void;
}

const SCENARIOS: readonly Scenario[] = [
  {
    what: "a SAM event Type (function and state machine events)",
    template: (n) =>
      sam(
        "Resources:",
        "  Queue:",
        "    Type: AWS::SQS::Queue",
        "  Fn:",
        ...FUNCTION,
        "      Events:",
        "        Unknown:",
        `          Type: ${q(n)}`,
        "          Properties:",
        "            Queue: !GetAtt Queue.Arn",
        "            Stream: !GetAtt Queue.Arn",
        "            DeadLetterConfig: { Type: SQS }",
        "  Machine:",
        "    Type: AWS::Serverless::StateMachine",
        "    Properties:",
        "      Definition: { StartAt: A, States: { A: { Type: Pass, End: true } } }",
        "      Events:",
        "        Unknown:",
        `          Type: ${q(n)}`,
        "          Properties: { Queue: !GetAtt Queue.Arn, DeadLetterConfig: { Type: SQS } }",
      ),
    expect: (graph) => {
      // An event type SAM does not have wires nothing and generates no resource.
      expect(graph.nodes.map((node) => node.id).sort()).toEqual(["Fn", "Machine", "Queue"]);
      expect(graph.edges.filter((e) => e.kind === "trigger" || e.kind === "destination")).toEqual([]);
    },
  },
  {
    what: "a resource Type, of a resource referenced by !Ref, !GetAtt and !Sub",
    template: (n) =>
      sam(
        "Parameters:",
        "  ThingName: { Type: String }",
        "Resources:",
        "  Thing:",
        `    Type: ${q(n)}`,
        "    Properties: { TableName: !Ref ThingName, FunctionName: !Ref ThingName, Name: !Ref ThingName }",
        "  Fn:",
        ...FUNCTION,
        "      Environment:",
        "        Variables: { REF: !Ref Thing, ATT: !GetAtt Thing.Arn, SUB: !Sub '${Thing.Arn}/*' }",
        "      Policies:",
        "        - DynamoDBCrudPolicy: { TableName: !Ref ThingName }",
        "        - Statement:",
        "            - { Effect: Allow, Action: 'sqs:SendMessage', Resource: !GetAtt Thing.Arn }",
        "      Events:",
        "        FromThing:",
        "          Type: SQS",
        "          Properties: { Queue: !GetAtt Thing.Arn }",
        "        ViaApi:",
        "          Type: Api",
        "          Properties: { RestApiId: !Ref Thing, Path: /, Method: get }",
        "  Mapping:",
        "    Type: AWS::Lambda::EventSourceMapping",
        "    Properties: { EventSourceArn: !GetAtt Thing.Arn, FunctionName: !Ref Fn }",
      ),
    expect: (graph, n) => {
      // A type the tool does not know: a node of kind "other" because edges touch it.
      expect(graph.nodes.find((node) => node.id === "Thing")).toMatchObject({ type: n, kind: "other" });
      expect(edge(graph, "Thing", "Fn", "trigger").label).toContain("FromThing (SQS)");
      expect(edgeList(graph, "write")).toContain("Fn -write-> Thing");
    },
  },
  {
    what: "a logical ID and an event name",
    template: (n) =>
      sam(
        "Resources:",
        `  ${q(n)}:`,
        ...FUNCTION,
        "      Events:",
        `        ${q(n)}:`,
        "          Type: SQS",
        `          Properties: { Queue: !GetAtt ${q(`${n}Queue.Arn`)} }`,
        "        Nightly:",
        "          Type: Schedule",
        "          Properties: { Schedule: rate(1 day) }",
        `  ${q(`${n}Queue`)}:`,
        "    Type: AWS::SQS::Queue",
        "  Caller:",
        ...FUNCTION,
        `      Environment: { Variables: { TARGET: !Ref ${q(n)} } }`,
      ),
    expect: (graph, n) => {
      expect(graph.nodes.find((node) => node.id === n)).toMatchObject({ type: "AWS::Serverless::Function", kind: "function" });
      expect(edge(graph, `${n}Queue`, n, "trigger").label).toBe(`${n} (SQS)`);
      expect(edge(graph, `${n}Nightly`, n, "trigger")).toBeDefined();
      expect(graph.nodes.find((node) => node.id === `${n}Nightly`)).toMatchObject({ type: "AWS::Events::Rule", kind: "rule", implicit: true });
      expect(edge(graph, "Caller", n, "reference")).toBeDefined();
    },
  },
  {
    what: "a policy template name",
    template: (n) =>
      sam(
        "Resources:",
        "  Table:",
        "    Type: AWS::DynamoDB::Table",
        "  Fn:",
        ...FUNCTION,
        "      Policies:",
        `        - ${q(n)}`,
        `        - { ${q(n)}: { TableName: !Ref Table, ${q(n)}: !Ref Table } }`,
      ),
    expect: (graph) => {
      // Not a SAM policy template: it grants nothing the graph could show.
      expect(edgeList(graph, "read", "write", "invoke")).toEqual([]);
    },
  },
  {
    what: "an ARN service, an API ID, a runtime and an IoT rule action",
    template: (n) =>
      sam(
        "Resources:",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        `      Runtime: ${q(n)}`,
        "      Handler: app.handler",
        "      CodeUri: .",
        "      Policies:",
        "        - Statement:",
        `            - { Effect: Allow, Action: ${q(`${n}:Get*`)}, Resource: ${q(`arn:aws:${n}:us-east-1:123456789012:thing/a`)} }`,
        "      Events:",
        "        FromArn:",
        "          Type: SQS",
        `          Properties: { Queue: ${q(`arn:aws:${n}:us-east-1:123456789012:queue`)} }`,
        "        ViaApi:",
        "          Type: Api",
        `          Properties: { RestApiId: ${q(n)}, Path: /, Method: get }`,
        "        ViaHttpApi:",
        "          Type: HttpApi",
        `          Properties: { ApiId: ${q(n)} }`,
        "  TopicRule:",
        "    Type: AWS::IoT::TopicRule",
        "    Properties:",
        "      TopicRulePayload:",
        "        Sql: SELECT * FROM 'a'",
        `        Actions: [ { ${q(n)}: { FunctionArn: !GetAtt Fn.Arn, key: x } } ]`,
      ),
    expect: (graph, n) => {
      // An ARN of a service the tool does not know names an external node of no known kind.
      const external = graph.nodes.find((node) => node.id === `arn:aws:${n}:us-east-1:123456789012:queue`);
      expect(external).toMatchObject({ kind: "external" });
      expect(external?.service).toBeUndefined();
      // An API ID that is not one of SAM's implicit APIs is an API outside the template.
      expect(graph.nodes.find((node) => node.id === n)).toBeUndefined();
      expect(graph.nodes.find((node) => node.id === `execute-api:${n}`)).toMatchObject({ kind: "external", service: "api" });
      expect(graph.nodes.some((node) => node.implicit)).toBe(false);
      // An IoT action the tool does not know wires nothing.
      expect(graph.edges.filter((e) => e.from === "TopicRule")).toEqual([]);
    },
  },
  {
    what: "a parameter name, keys of state machine definitions, substitutions, redrive policies, Sub variables and Cognito triggers",
    template: (n) =>
      sam(
        "Parameters:",
        `  ${q(n)}: { Type: String }`,
        "Resources:",
        "  Table:",
        "    Type: AWS::DynamoDB::Table",
        `    Properties: { TableName: !Ref ${q(n)} }`,
        "  Fn:",
        ...FUNCTION,
        "      Policies:",
        `        - DynamoDBReadPolicy: { TableName: !Ref ${q(n)} }`,
        `      Environment: { Variables: { SUB: !Sub [ ${q(`\${${n}}`)}, { ${q(n)}: !GetAtt Dlq.Arn } ] } }`,
        "  Dlq:",
        "    Type: AWS::SQS::Queue",
        "  Queue:",
        "    Type: AWS::SQS::Queue",
        "    Properties:",
        `      RedrivePolicy: ${q(JSON.stringify({ [n]: 1, deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:dlq", maxReceiveCount: 3 }))}`,
        "  Machine:",
        "    Type: AWS::StepFunctions::StateMachine",
        "    Properties:",
        "      RoleArn: arn:aws:iam::123456789012:role/r",
        `      DefinitionString: ${q(JSON.stringify({ StartAt: n, States: { [n]: { Type: "Task", Resource: `\${${n}}`, End: true, [n]: {} } } }))}`,
        `      DefinitionSubstitutions: { ${q(n)}: !GetAtt Fn.Arn }`,
        "  Pool:",
        "    Type: AWS::Cognito::UserPool",
        `    Properties: { LambdaConfig: { ${q(n)}: !GetAtt Fn.Arn } }`,
      ),
    expect: (graph, n) => {
      // The parameter names the table: the policy reads that table.
      expect(edge(graph, "Fn", "Table", "read")).toBeDefined();
      expect(edge(graph, "Machine", "Fn", "invoke")).toBeDefined();
      expect(edge(graph, "Queue", "arn:aws:sqs:us-east-1:123456789012:dlq", "destination")).toBeDefined();
      expect(edge(graph, "Fn", "Dlq", "reference")).toBeDefined();
      expect(edge(graph, "Pool", "Fn", "trigger").label).toBe(`Cognito ${n}`);
    },
  },
];

function check(file: string, head: string): TemplateInput {
  // The base differs, so that the report compares and every delta section renders.
  return { file, head, base: head.replace("app.handler", "app.other") };
}

function run(inputs: TemplateInput[]): CheckReport {
  return checkTemplates(inputs, defaultConfig(), { toolVersion: "0.0.0", configPath: null, date: "2026-01-01" });
}

function expectWellFormed(node: GraphNode): void {
  expect(typeof node.id, `node ${String(node.id)}`).toBe("string");
  expect(typeof node.type, `type of node ${node.id}`).toBe("string");
  expect(KINDS.has(node.kind), `kind ${String(node.kind)} of node ${node.id}`).toBe(true);
  if (node.service !== undefined) expect(KINDS.has(node.service), `service ${String(node.service)} of node ${node.id}`).toBe(true);
}

/** Runs one template through the whole pipeline and every renderer; returns its graph and check. */
function pipeline(file: string, text: string): { graph: EventGraph; check: TemplateCheck } {
  const result = graphTemplate(file, text);
  if (!result.ok) throw new Error(`${file} does not parse: ${result.error.message}`);
  const report = run([check(file, text)]);
  const checked = report.templates[0] as TemplateCheck;
  expect(checked.ok).toBe(true);
  expect(checked.graph).not.toBeNull();
  expect(checked.fitness?.notes.filter((note) => note.includes("failed and was skipped"))).toEqual([]);
  for (const node of [...result.graph.nodes, ...(checked.graph?.nodes ?? []), ...(checked.baseGraph?.nodes ?? [])]) expectWellFormed(node);
  for (const e of result.graph.edges) {
    expect(result.graph.nodes.some((node) => node.id === e.from) && result.graph.nodes.some((node) => node.id === e.to), `${e.from} -> ${e.to}`).toBe(true);
  }
  expect(renderMarkdown(report)).toContain(file);
  expect(renderText(report)).toContain(file);
  expect(JSON.stringify(renderSarif(report, BUILTIN_RULES))).toContain(file);
  expect(renderMermaid(result.graph).text).toContain("flowchart");
  expect(JSON.stringify(toJsonReport(report))).toContain(file);
  // `graph --format json` keeps every node's type (a function-valued type would vanish from it).
  const json = JSON.parse(JSON.stringify({ templates: [result] })) as { templates: { graph: { nodes: { id: string; type: unknown }[] } }[] };
  const nodes = json.templates[0]?.graph.nodes ?? [];
  expect(nodes.length).toBe(result.graph.nodes.length);
  for (const node of nodes) expect(typeof node.type, `type of ${node.id} in graph --format json`).toBe("string");
  return { graph: result.graph, check: checked };
}

describe.each(PROTOTYPE_NAMES)("the name %j", (name) => {
  it.each(SCENARIOS.map((s) => [s.what, s] as const))("as %s: no crash, an unknown name, the rest of the graph intact", (_what, scenario) => {
    const text = scenario.template(name);
    const { graph } = pipeline(`scenario-${SCENARIOS.indexOf(scenario)}.yaml`, text);
    scenario.expect(graph, name);
  });

  it("as a runtime: unknown, so it passes lambda-runtime-supported", () => {
    const { check: checked } = pipeline("runtime.yaml", SCENARIOS[4]!.template(name));
    const rule = checked.fitness?.rules.find((r) => r.id === "lambda-runtime-supported");
    expect(rule?.results.map((r) => [r.resource, r.status])).toEqual([["Fn", "pass"]]);
  });
});

describe("a run with templates using Object.prototype names", () => {
  it("reports every template, the ordinary ones included", () => {
    const inputs = PROTOTYPE_NAMES.flatMap((name) => SCENARIOS.map((s, i) => check(`${name}-${i}.yaml`, s.template(name))));
    const plain = sam("Resources:", "  Fn:", ...FUNCTION);
    const report = run([...inputs, check("plain.yaml", plain)]);
    expect(report.templates.map((t) => t.file)).toEqual([...inputs.map((i) => i.file), "plain.yaml"]);
    expect(report.templates.every((t) => t.ok && t.fitness !== null)).toBe(true);
    expect(renderMarkdown(report)).toContain("plain.yaml");
  });
});
