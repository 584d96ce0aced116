import { intrinsicName, isIntrinsic, isMap } from "../../template/intrinsics.js";
import type { Resource, Value, ValueMap } from "../../template/types.js";
import { parseJsonData } from "../../tables.js";
import type { At, GraphBuilder } from "../builder.js";
import { classifyAction } from "./access/actions.js";
import { grant, resolveTargets, targetKind } from "./access/grants.js";
import { STATE_MACHINE_TYPES } from "./access/roles.js";

/**
 * Edges from Step Functions definitions (`Definition` map, `DefinitionString`
 * as a string, `Fn::Sub` or `Fn::Join`), with `DefinitionSubstitutions`:
 *
 * - a Task whose `Resource` is a function ARN, or the `lambda:invoke`
 *   integration with `Parameters.FunctionName`: `invoke` state machine -> function;
 * - the `states:startExecution` integration (`StateMachineArn`): `invoke`;
 * - other service integrations, optimised (`arn:aws:states:::dynamodb:putItem`)
 *   or SDK (`arn:aws:states:::aws-sdk:s3:getObject`): the integration's action
 *   is classified like an IAM action, giving `read` / `write` edges to the
 *   resources its parameters name (`TableName`, `QueueUrl`, `TopicArn`,
 *   `Bucket`, `Entries[].EventBusName`, ...).
 *
 * A definition kept in a file (`DefinitionUri`, `DefinitionS3Location`) is
 * not read: then every `DefinitionSubstitutions` value that names a function
 * or state machine is taken as invoked (that is what substitutions are for);
 * the state machine's `Policies` still give its data access.
 */
export function extractStateMachines(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    if (!STATE_MACHINE_TYPES.has(resource.type)) continue;
    const props = resource.properties;
    const substitutions = isMap(props["DefinitionSubstitutions"]) && !isIntrinsic(props["DefinitionSubstitutions"]) ? props["DefinitionSubstitutions"] : undefined;
    const parsed = definitionOf(props, substitutions);
    if (parsed) {
      walkDefinition(graph, resource, parsed);
    } else if (substitutions) {
      for (const [key, value] of Object.entries(substitutions)) {
        const at = { container: substitutions, key };
        const targets = resolveTargets(graph, value as Value, at).filter((t) => isCompute(graph, t, true));
        grant(graph, resource.id, ["invoke"], targets, graph.line(at), `DefinitionSubstitutions ${key}`);
      }
    }
  }
}

interface Definition {
  root: Value;
  /** Variables of the `${...}` placeholders in the definition's strings. */
  locals: ValueMap | undefined;
  /** Intrinsics cut out of a `Fn::Join`, by the placeholder that replaced them. */
  tokens: Map<string, Value>;
  /** Whether `${X}` names that are not locals refer to template resources (Fn::Sub) or stay literal. */
  subResources: boolean;
  at: At;
}

const TOKEN = "@@sfn-token-";

function definitionOf(props: ValueMap, substitutions: ValueMap | undefined): Definition | undefined {
  const definition = props["Definition"];
  if (isMap(definition) && !isIntrinsic(definition)) {
    return { root: definition, locals: substitutions, tokens: new Map(), subResources: false, at: { container: props, key: "Definition" } };
  }
  const text = props["DefinitionString"];
  const at = { container: props, key: "DefinitionString" };
  if (typeof text === "string") {
    const root = parseJson(text);
    return root === undefined ? undefined : { root, locals: substitutions, tokens: new Map(), subResources: false, at };
  }
  const name = intrinsicName(text);
  if (name === "Fn::Sub") {
    const inner = (text as ValueMap)["Fn::Sub"];
    const body = typeof inner === "string" ? inner : Array.isArray(inner) && typeof inner[0] === "string" ? inner[0] : undefined;
    const own = Array.isArray(inner) && isMap(inner[1]) ? inner[1] : undefined;
    const root = body === undefined ? undefined : parseJson(body);
    if (root === undefined) return undefined;
    const locals = own || substitutions ? Object.assign(Object.create(null) as ValueMap, substitutions ?? {}, own ?? {}) : undefined;
    return { root, locals, tokens: new Map(), subResources: true, at };
  }
  if (name === "Fn::Join") {
    const inner = (text as ValueMap)["Fn::Join"];
    if (!Array.isArray(inner) || typeof inner[0] !== "string" || !Array.isArray(inner[1])) return undefined;
    const tokens = new Map<string, Value>();
    const parts = inner[1].map((part, i) => {
      if (typeof part === "string") return part;
      const token = `${TOKEN}${i}@@`;
      tokens.set(token, part);
      return token;
    });
    const root = parseJson(parts.join(inner[0]));
    return root === undefined ? undefined : { root, locals: substitutions, tokens, subResources: false, at };
  }
  return undefined;
}

function parseJson(text: string): Value | undefined {
  try {
    return parseJsonData(text) as Value;
  } catch {
    return undefined;
  }
}

/** Every Task state, at any depth (Parallel branches, Map iterators), iteratively. */
function walkDefinition(graph: GraphBuilder, machine: Resource, definition: Definition): void {
  const stack: Value[] = [definition.root];
  let visited = 0;
  while (stack.length > 0 && visited++ < 100_000) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      stack.push(...current);
      continue;
    }
    if (!isMap(current) || isIntrinsic(current)) continue;
    if (current["Type"] === "Task" && current["Resource"] !== undefined) task(graph, machine, definition, current);
    for (const key of Object.keys(current)) {
      const child = current[key];
      if (child !== null && typeof child === "object") stack.push(child);
    }
  }
}

const INTEGRATION = /^arn:[^:]+:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)/;
/** Parameter names that name the resource of a service integration. */
const RESOURCE_PARAM = /(?:Name|Arn|ARN|Url|Id|^Bucket)$/;

function task(graph: GraphBuilder, machine: Resource, definition: Definition, state: ValueMap): void {
  const line = graph.line(definition.at);
  const resource = state["Resource"];
  const text = typeof resource === "string" ? resource : undefined;
  const integration = text !== undefined ? INTEGRATION.exec(expandPartition(text)) : null;
  const params = isMap(state["Parameters"]) ? state["Parameters"] : isMap(state["Arguments"]) ? state["Arguments"] : undefined;
  if (!integration) {
    // A direct function (or activity) ARN.
    const targets = resolveDefinitionValue(graph, definition, resource as Value).filter((t) => isCompute(graph, t));
    grant(graph, machine.id, ["invoke"], targets, line, "Task");
    return;
  }
  if (!params) return;
  const service = integration[1] as string;
  const action = integration[2] as string;
  const label = `${service}:${action}`;
  if (service === "lambda" || service === "states") {
    const key = service === "lambda" ? "FunctionName" : "StateMachineArn";
    const targets = resolveDefinitionValue(graph, definition, params[key]).filter((t) => isCompute(graph, t));
    grant(graph, machine.id, ["invoke"], targets, line, label);
    return;
  }
  const access = classifyAction(label);
  if (access.length === 0) return;
  const values: Value[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (key.endsWith(".$")) continue;
    if (RESOURCE_PARAM.test(key)) values.push(value);
    else if (key === "Entries" && Array.isArray(value)) {
      for (const entry of value) if (isMap(entry) && entry["EventBusName"] !== undefined) values.push(entry["EventBusName"]);
    }
  }
  for (const value of values) grant(graph, machine.id, access, resolveDefinitionValue(graph, definition, value), line, label);
}

function expandPartition(text: string): string {
  return text.replace("${AWS::Partition}", "aws");
}

/**
 * The nodes a value inside a definition names: intrinsics as they are, `Fn::Join`
 * tokens as the intrinsic they stand for, strings with `${...}` placeholders
 * through the substitutions (and, inside `Fn::Sub`, template resources).
 */
function resolveDefinitionValue(graph: GraphBuilder, definition: Definition, value: Value | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "string") return resolveTargets(graph, value, definition.at);
  const out: string[] = [];
  let rest = value;
  for (const [token, part] of definition.tokens) {
    if (rest.includes(token)) {
      out.push(...resolveTargets(graph, part, definition.at));
      rest = rest.split(token).join("");
    }
  }
  if (rest.includes("${")) {
    const locals = definition.locals ?? (Object.create(null) as ValueMap);
    const whole = /^\$\{([^}]*)\}$/.exec(rest.trim());
    const name = whole ? (whole[1] as string).trim() : undefined;
    if (name !== undefined && name in locals) {
      out.push(...resolveTargets(graph, locals[name], definition.at));
    } else if (definition.subResources || [...rest.matchAll(/\$\{([^}]*)\}/g)].some((m) => (m[1] as string).trim() in locals)) {
      // Placeholders not defined by DefinitionSubstitutions stay literal text (outside Fn::Sub).
      out.push(...resolveTargets(graph, { "Fn::Sub": [rest, locals] } as unknown as Value, definition.at));
    }
    return [...new Set(out)];
  }
  if (out.length === 0) out.push(...resolveTargets(graph, rest, definition.at));
  return [...new Set(out)];
}

/** A function or state machine; with `strict` false also a parameter (external of unknown kind). */
function isCompute(graph: GraphBuilder, id: string, strict = false): boolean {
  const kind = targetKind(graph, id);
  return kind === "function" || kind === "state-machine" || (!strict && kind === "external");
}
