import { isMap } from "../../template/intrinsics.js";
import { positionOf } from "../../template/positions.js";
import type { Resource, Value, ValueMap } from "../../template/types.js";
import type { GraphBuilder } from "../builder.js";
import { apiTargets, asList, asMap, asText, branches, targets, textOf } from "./triggers/common.js";
import { type Integration, integrationEdges } from "./triggers/integrations.js";

/**
 * Edges from API definitions: API -> what its integrations call.
 *
 * - OpenAPI bodies (`DefinitionBody` of SAM APIs, `Body` of API Gateway REST
 *   and HTTP APIs): every `x-amazon-apigateway-integration`, including those
 *   inside `Fn::If` branches; `x-amazon-apigateway-authorizer` functions.
 * - `AWS::ApiGateway::Method` integrations (-> `RestApiId`),
 *   `AWS::ApiGatewayV2::Integration` (-> `ApiId`), quick-create `Target` of
 *   an `AWS::ApiGatewayV2::Api`, API Gateway authorizer resources.
 * - SAM `Auth.Authorizers` functions, SAM WebSocket API routes; AppSync
 *   Lambda data sources.
 *
 * Kinds: a Lambda or Step Functions integration is a `trigger`; a direct
 * service integration (SQS SendMessage, DynamoDB PutItem, S3 GET...) is a
 * `write` or `read` edge to the template resource it names; an authorizer is
 * an `invoke` edge (the API calls it before the route's own integration).
 *
 * When a SAM event and the API's `DefinitionBody` describe the same route,
 * both give the same (API, function, trigger) edge and the builder keeps one:
 * the SAM event runs first, so its line and label stay, and the body's label
 * is appended.
 */
export function extractApiIntegrations(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::Serverless::Api":
      case "AWS::Serverless::HttpApi":
        walkBody(graph, [resource.id], props["DefinitionBody"]);
        samAuthorizers(graph, resource.id, props);
        break;
      case "AWS::Serverless::WebSocketApi":
        webSocketRoutes(graph, resource.id, props);
        break;
      case "AWS::ApiGateway::RestApi":
        walkBody(graph, [resource.id], props["Body"]);
        break;
      case "AWS::ApiGatewayV2::Api":
        walkBody(graph, [resource.id], props["Body"]);
        if (props["Target"] !== undefined) integrate(graph, [resource.id], plain(props, "Target", undefined, undefined, []), `${resource.id} (quick create)`);
        break;
      case "AWS::ApiGateway::Method":
        restMethod(graph, resource, props);
        break;
      case "AWS::ApiGatewayV2::Integration": {
        const apis = apiTargets(graph, props["ApiId"], { container: props, key: "ApiId" });
        const subtype = asText(props["IntegrationSubtype"]);
        const extras = [props["RequestParameters"], props["RequestTemplates"]].filter((v): v is Value => v !== undefined);
        const integration = plain(props, "IntegrationUri", subtype, asText(props["IntegrationMethod"]), extras);
        if (subtype && props["IntegrationUri"] === undefined) integration.at = { container: props, key: "IntegrationSubtype" };
        integrate(graph, apis, integration, `${resource.id} (integration)`);
        break;
      }
      case "AWS::ApiGateway::Authorizer":
        authorizer(graph, apiTargets(graph, props["RestApiId"], { container: props, key: "RestApiId" }), props, "AuthorizerUri", resource.id);
        break;
      case "AWS::ApiGatewayV2::Authorizer":
        authorizer(graph, apiTargets(graph, props["ApiId"], { container: props, key: "ApiId" }), props, "AuthorizerUri", resource.id);
        break;
      case "AWS::AppSync::DataSource":
        appSyncDataSource(graph, resource, props);
        break;
      case "AWS::Serverless::GraphQLApi":
        samGraphQlDataSources(graph, resource.id, props);
        graphQlAuthorizers(graph, resource.id, asMap(props["Auth"]), "LambdaAuthorizer", "Additional");
        break;
      case "AWS::AppSync::GraphQLApi":
        graphQlAuthorizers(graph, resource.id, props, "LambdaAuthorizerConfig", "AdditionalAuthenticationProviders");
        break;
      default:
        break;
    }
  }
  implicitApiAuthorizers(graph);
}

function plain(props: ValueMap, key: string, subtype: string | undefined, httpMethod: string | undefined, extras: Value[]): Integration {
  return { uri: props[key], at: { container: props, key }, subtype, httpMethod, extras };
}

function integrate(graph: GraphBuilder, apis: string[], integration: Integration, label: string): void {
  if (apis.length === 0) return;
  const line = graph.line(integration.at);
  // A URI chosen by `Fn::If` may be either branch: each counts.
  const uris = integration.uri === undefined ? [undefined] : branches(integration.uri);
  for (const uri of uris) {
    for (const edge of integrationEdges(graph, { ...integration, uri })) {
      for (const api of apis) if (api !== edge.to) graph.addEdge(api, edge.to, edge.kind, line, label);
    }
  }
}

function restMethod(graph: GraphBuilder, resource: Resource, props: ValueMap): void {
  const integration = asMap(props["Integration"]);
  if (!integration) return;
  const apis = apiTargets(graph, props["RestApiId"], { container: props, key: "RestApiId" });
  const extras = [integration["RequestTemplates"], integration["RequestParameters"]].filter((v): v is Value => v !== undefined);
  const method = asText(props["HttpMethod"]);
  const found = plain(integration, "Uri", undefined, asText(integration["IntegrationHttpMethod"]), extras);
  integrate(graph, apis, found, method ? `${resource.id} (${method.toUpperCase()})` : resource.id);
}

function authorizer(graph: GraphBuilder, apis: string[], holder: ValueMap, key: string, label: string): void {
  if (holder[key] === undefined) return;
  const line = graph.line({ container: holder, key });
  // An API Gateway invocation URI (`arn:...:apigateway:...:lambda:path/...`), or the function's ARN itself.
  const uri = textOf(holder[key]);
  const direct = uri?.includes(":apigateway:")
    ? integrationEdges(graph, plain(holder, key, undefined, undefined, [])).map((edge) => edge.to)
    : targets(graph, holder[key], { container: holder, key }, "lambda");
  for (const api of apis) for (const fn of direct) if (fn !== api) graph.addEdge(api, fn, "invoke", line, `${label} (authorizer)`);
}

/** SAM `Auth.Authorizers.<name>.FunctionArn` on an Api or HttpApi. */
function samAuthorizers(graph: GraphBuilder, api: string, props: ValueMap): void {
  const authorizers = asMap(asMap(props["Auth"])?.["Authorizers"]);
  if (!authorizers) return;
  for (const name of Object.keys(authorizers)) {
    const config = asMap(authorizers[name]);
    if (config && config["FunctionArn"] !== undefined) authorizer(graph, [api], config, "FunctionArn", name);
  }
}

/** The implicit APIs take their authorizers from the `Api` / `HttpApi` Globals. */
function implicitApiAuthorizers(graph: GraphBuilder): void {
  const globals = graph.template.globals;
  if (!globals) return;
  for (const [api, section] of [
    ["ServerlessRestApi", "Api"],
    ["ServerlessHttpApi", "HttpApi"],
  ] as const) {
    const settings = asMap(globals[section]);
    if (settings && graph.node(api)?.implicit) samAuthorizers(graph, api, settings);
  }
}

/** SAM WebSocket APIs: `Routes.<route>.FunctionArn`, and a custom authorizer's `Auth.AuthArn`. */
function webSocketRoutes(graph: GraphBuilder, api: string, props: ValueMap): void {
  const routes = asMap(props["Routes"]);
  for (const route of routes ? Object.keys(routes) : []) {
    const config = asMap(routes?.[route]);
    if (!config) continue;
    const where = { container: config, key: "FunctionArn" };
    for (const fn of targets(graph, config["FunctionArn"], where, "lambda")) graph.addEdge(api, fn, "trigger", graph.line(where), `${route} (WebSocket route)`);
  }
  const auth = asMap(props["Auth"]);
  if (auth && auth["AuthArn"] !== undefined) authorizer(graph, [api], auth, "AuthArn", "WebSocket");
}

function appSyncDataSource(graph: GraphBuilder, resource: Resource, props: ValueMap): void {
  const config = asMap(props["LambdaConfig"]);
  if (!config) return;
  const apis = targets(graph, props["ApiId"], { container: props, key: "ApiId" });
  const where = { container: config, key: "LambdaFunctionArn" };
  for (const fn of targets(graph, config["LambdaFunctionArn"], where)) {
    for (const api of apis) graph.addEdge(api, fn, "trigger", graph.line(where), `${resource.id} (data source)`);
  }
}

/** Lambda authorizers of a GraphQL API: the main one and the additional providers' (`invoke` edges). */
function graphQlAuthorizers(graph: GraphBuilder, api: string, holder: ValueMap | undefined, key: string, additional: string): void {
  if (!holder) return;
  for (const provider of [holder, ...asList(holder[additional]).map(asMap)]) {
    const config = asMap(provider?.[key]);
    if (config) authorizer(graph, [api], config, "AuthorizerUri", "GraphQL");
  }
}

/** SAM GraphQL APIs: `DataSources.Lambda.<name>.FunctionArn`. */
function samGraphQlDataSources(graph: GraphBuilder, api: string, props: ValueMap): void {
  const lambdas = asMap(asMap(props["DataSources"])?.["Lambda"]);
  if (!lambdas) return;
  for (const name of Object.keys(lambdas)) {
    const config = asMap(lambdas[name]);
    if (!config) continue;
    const where = { container: config, key: "FunctionArn" };
    for (const fn of targets(graph, config["FunctionArn"], where)) graph.addEdge(api, fn, "trigger", graph.line(where), `${name} (data source)`);
  }
}

const INTEGRATION = "x-amazon-apigateway-integration";
const AUTHORIZER = "x-amazon-apigateway-authorizer";
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method"]);

/**
 * Walks an OpenAPI body once, iteratively, and turns every integration and
 * Lambda authorizer into edges. The path and method keys above an
 * integration give its label (`GET /items`).
 */
function walkBody(graph: GraphBuilder, apis: string[], body: Value | undefined): void {
  if (!isMap(body)) return;
  const stack: [Value, string | undefined, string | undefined][] = [[body, undefined, undefined]];
  let budget = 200_000;
  while (stack.length > 0 && budget-- > 0) {
    const [value, path, method] = stack.pop() as [Value, string | undefined, string | undefined];
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === "object") stack.push([item, path, method]);
      continue;
    }
    if (!isMap(value)) continue;
    for (const key of Object.keys(value)) {
      const child = value[key] as Value;
      if (key === INTEGRATION) {
        bodyIntegration(graph, apis, value, child, routeLabel(path, method));
        continue;
      }
      if (key === AUTHORIZER) {
        const config = asMap(child);
        if (config) authorizer(graph, apis, config, "authorizerUri", "OpenAPI");
        continue;
      }
      if (child === null || typeof child !== "object") continue;
      if (key.startsWith("/")) stack.push([child, key, undefined]);
      else if (METHODS.has(key.toLowerCase())) stack.push([child, path, key === "x-amazon-apigateway-any-method" ? "ANY" : key.toUpperCase()]);
      else stack.push([child, path, method]);
    }
  }
}

function routeLabel(path: string | undefined, method: string | undefined): string {
  const route = [method, path].filter((part) => part !== undefined).join(" ");
  return route ? `OpenAPI ${route}` : "OpenAPI integration";
}

/** One integration; inside `Fn::If` it may be either branch, so each branch counts. */
function bodyIntegration(graph: GraphBuilder, apis: string[], holder: ValueMap, value: Value, label: string): void {
  const pending: Value[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    const map = asMap(current);
    if (!map) {
      const choice = isMap(current) ? current["Fn::If"] : undefined;
      if (Array.isArray(choice)) pending.push(choice[1] as Value, choice[2] as Value);
      continue;
    }
    const extras = [map["requestTemplates"], map["requestParameters"]].filter((v): v is Value => v !== undefined);
    const integration = plain(map, "uri", asText(map["integrationSubtype"]), asText(map["httpMethod"]), extras);
    if (map["uri"] === undefined) integration.at = positionOf(holder, INTEGRATION) ? { container: holder, key: INTEGRATION } : { container: map };
    integrate(graph, apis, integration, label);
  }
}
