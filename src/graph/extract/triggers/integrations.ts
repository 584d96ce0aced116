import { collectReferences } from "../../../template/intrinsics.js";
import type { Value } from "../../../template/types.js";
import type { At, GraphBuilder } from "../../builder.js";
import type { EdgeKind } from "../../types.js";
import { kindOfId, targets, textOf } from "./common.js";

/**
 * What an API Gateway integration calls, whatever it is written in: an
 * OpenAPI `x-amazon-apigateway-integration`, an `AWS::ApiGateway::Method`
 * `Integration`, an `AWS::ApiGatewayV2::Integration`.
 */
export interface Integration {
  uri: Value | undefined;
  /** Where the URI (or, without one, the integration) is written: the edge's line. */
  at: At;
  /** HTTP API first-class integrations: `SQS-SendMessage`, `StepFunctions-StartExecution`, ... */
  subtype: string | undefined;
  /** The method the integration uses towards the service (path-style AWS integrations: GET reads). */
  httpMethod: string | undefined;
  /** Request templates and parameters: where service integrations name their queue, table, state machine. */
  extras: Value[];
}

export interface IntegrationEdge {
  to: string;
  kind: EdgeKind;
}

// `arn:aws:apigateway:${AWS::Region}:sqs:path/...` (the region may be a `${...}` variable holding `::`).
const SERVICE_URI = /apigateway:(?:\$\{[^}]*\}|[^:]*):([a-z0-9-]+):(action|path)\/([^/?]*)/;
const EMBEDDED_FUNCTION = /functions\/([^/]+)\/invocations/;
const READ_ACTION = /^(get|describe|list|query|scan|receive|batchget|select|head)/i;

/** The edges (target and kind) an integration gives from its API. */
export function integrationEdges(graph: GraphBuilder, integration: Integration): IntegrationEdge[] {
  const { uri, subtype } = integration;
  if (subtype) {
    const [service = "", action = ""] = subtype.split("-");
    if (service === "StepFunctions") return only(referenced(graph, integration.extras), graph, "state-machine", "trigger");
    const kind: EdgeKind = READ_ACTION.test(action) ? "read" : "write";
    return inTemplate(graph, referenced(graph, integration.extras)).map((to) => ({ to, kind }));
  }
  const text = textOf(uri);
  const service = text ? SERVICE_URI.exec(text) : null;
  if (!service) {
    // HTTP APIs may name the function itself (`uri: !GetAtt Fn.Arn`).
    if (uri === undefined || (text !== undefined && !text.startsWith("arn:") && !text.includes("${"))) return [];
    const ids = targets(graph, uri, integration.at);
    return [...only(ids, graph, "function", "trigger"), ...only(ids, graph, "state-machine", "trigger")];
  }
  const [, name, style, action] = service as unknown as [string, string, string, string];
  if (name === "lambda") return lambdaTargets(graph, integration, text as string).map((to) => ({ to, kind: "trigger" }));
  const named = referenced(graph, [uri, ...integration.extras]);
  if (name === "states") return only(named, graph, "state-machine", "trigger");
  const declared = style === "action" ? action : declaredAction(integration.extras);
  const reads = declared ? READ_ACTION.test(declared) : /^(GET|HEAD)$/i.test(integration.httpMethod ?? "");
  const kind: EdgeKind = reads ? "read" : "write";
  return inTemplate(graph, named).map((to) => ({ to, kind }));
}

/** The function of a Lambda integration URI: a `${Fn.Arn}` variable, a parameter, or a function ARN written out. */
function lambdaTargets(graph: GraphBuilder, integration: Integration, text: string): string[] {
  const named = referenced(graph, [integration.uri]).filter((id) => {
    const kind = kindOfId(graph, id);
    return kind === "function" || kind === "external";
  });
  if (named.length > 0) return named;
  const embedded = EMBEDDED_FUNCTION.exec(withLiteralLocals(integration.uri, text))?.[1];
  return embedded && !embedded.includes("${") ? targets(graph, embedded, integration.at, "lambda") : [];
}

/** The text of a `Fn::Sub` with the variables its own map sets to literal strings filled in. */
function withLiteralLocals(value: Value | undefined, text: string): string {
  const args = value !== null && typeof value === "object" && !Array.isArray(value) ? value["Fn::Sub"] : undefined;
  const locals = Array.isArray(args) ? args[1] : undefined;
  if (locals === null || typeof locals !== "object" || Array.isArray(locals)) return text;
  return text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
    const local = locals[name.trim()];
    return typeof local === "string" ? local : whole;
  });
}

/**
 * The API action a path-style service integration performs, when its request
 * says (`integration.request.querystring.Action: "'ReceiveMessage'"`, or
 * `Action=SendMessage` in a request template).
 */
function declaredAction(extras: Value[]): string | undefined {
  for (const extra of extras) {
    if (extra === null || typeof extra !== "object" || Array.isArray(extra)) continue;
    for (const [key, value] of Object.entries(extra)) {
      if (typeof value !== "string") continue;
      if (/(^|\.)Action$/.test(key)) return value.replace(/['"]/g, "");
      const inTemplate = /(?:^|[?&])Action=([A-Za-z]+)/.exec(value);
      if (inTemplate) return inTemplate[1];
    }
  }
  return undefined;
}

/** Logical IDs (resources, parameters) referenced anywhere inside the values, as graph node IDs. */
function referenced(graph: GraphBuilder, values: (Value | undefined)[]): string[] {
  const out = new Set<string>();
  const holder = values;
  values.forEach((value, i) => {
    if (value === undefined || value === null || typeof value !== "object") return;
    for (const ref of collectReferences(value, holder, i)) {
      if (ref.target.startsWith("AWS::") || ref.target.startsWith("stageVariables")) continue;
      for (const id of graph.entity(ref.target)) out.add(id);
    }
  });
  return [...out].filter((id) => graph.isNode(id));
}

function inTemplate(graph: GraphBuilder, ids: string[]): string[] {
  return ids.filter((id) => graph.template.resources.has(id));
}

function only(ids: string[], graph: GraphBuilder, kind: string, edge: EdgeKind): IntegrationEdge[] {
  return ids.filter((id) => kindOfId(graph, id) === kind).map((to) => ({ to, kind: edge }));
}
