import type { Finding, Rule } from "../src/fitness/types.js";
import type { Resource, Template, Value, ValueMap } from "../src/template/types.js";
import { implicitApi } from "../src/fitness/kit/apis.js";
import { finding, lineAt, lineOf, resourcesOf } from "../src/fitness/kit/findings.js";
import { samEvents } from "../src/fitness/kit/functions.js";
import { referencedId } from "../src/fitness/kit/policies.js";
import { isMap } from "../src/template/intrinsics.js";
import { get, isSet, isTrue } from "../src/fitness/kit/values.js";

const SAM_APIS = ["AWS::Serverless::Api", "AWS::Serverless::HttpApi"];

export const apiGwAuthorizationConfigured: Rule = {
  id: "api-gw-authorization-configured",
  title: "API routes require authorization",
  category: "security",
  weight: 3,
  appliesTo: [...SAM_APIS, "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"],
  docs:
    "Every route of an API has an authorizer (Cognito, Lambda, JWT) or IAM authorization. SAM APIs: the credit is " +
    "the share of routes (function `Api` / `HttpApi` events) behind an authorizer, the event's own `Auth.Authorizer` " +
    "or else the API's `Auth.DefaultAuthorizer`; an event's `Auth.Authorizer: NONE` opens its route even under a default " +
    "(for a REST API with a `DefinitionBody`, together with `OverrideApiAuth: true`). An API whose routes are not declared " +
    "by events passes with a default authorizer. A literal OpenAPI / Swagger definition (`DefinitionBody`, or `Body` of a " +
    "plain API without Method / Route resources) counts too, read as API Gateway imports it: an operation is authorized " +
    "when its `security` (for HTTP APIs, else the definition's global `security`, which REST API import ignores) names an authorizer scheme (API keys and SAM's `NONE` " +
    "marker are not authorizers), or by `x-amazon-apigateway-auth: aws_iam`; in SAM the default authorizer covers every " +
    "operation that does not name `NONE`. Plain CloudFormation: the share of `AWS::ApiGateway::Method` / `AWS::ApiGatewayV2::Route` " +
    "with an `AuthorizationType` other than `NONE` (CORS `OPTIONS` methods excluded). A public API is a legitimate " +
    "design: say so with a suppression and its reason in the API's `Metadata` (for the implicit `ServerlessRestApi`, in the template's top-level `Metadata` with `resource: ServerlessRestApi`).",
  evaluate({ template }) {
    const out: Finding[] = [];
    const apis = resourcesOf(template, SAM_APIS);
    for (const kind of ["Api", "HttpApi"] as const) {
      const implicit = implicitApi(template, kind);
      if (implicit) apis.push(implicit);
    }
    for (const api of apis) out.push(judgeSamApi(template, api));
    for (const api of resourcesOf(template, ["AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"])) {
      const judged = judgeCfnApi(template, api);
      if (judged) out.push(judged);
    }
    return out;
  },
};

const FIX_SAM = "Set `Auth: { DefaultAuthorizer: ... }` on the API (or in Globals), or `Auth: { Authorizer: ... }` on each event.";

const OPENAPI_METHODS = ["get", "put", "post", "delete", "patch", "head", "x-amazon-apigateway-any-method"];

interface Operation {
  path: string;
  method: string;
  /** What the definition says about the operation's authorization (see securityOf). */
  secured: Security;
}

/**
 * The security schemes of a definition that are not authorizers: plain API
 * keys (`type: apiKey` without an API Gateway authorizer or auth type; an
 * API key identifies a client, it does not authorize it).
 */
function apiKeySchemes(body: ValueMap): Set<string> {
  const schemes = get(body, "components", "securitySchemes") ?? body["securityDefinitions"];
  const out = new Set<string>();
  if (!isMap(schemes)) return out;
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isMap(scheme) || scheme["type"] !== "apiKey") continue;
    if (scheme["x-amazon-apigateway-authorizer"] !== undefined || scheme["x-amazon-apigateway-authtype"] !== undefined) continue;
    out.add(name);
  }
  return out;
}

/**
 * What an operation's `security` says, read as API Gateway imports it (the
 * entries are not alternatives there: the first that names an authorizer
 * is the method's authorizer, an `api_key` entry adds an API key
 * requirement): "authorizer" when some entry names an authorizer scheme;
 * "none" when it names SAM's `NONE` marker (`Authorizer: NONE`); "empty"
 * for a list that names neither (`[]`, only API keys); null without a list.
 */
type Security = "authorizer" | "none" | "empty" | null;

function securityOf(security: Value | undefined, apiKeys: ReadonlySet<string>): Security {
  if (!Array.isArray(security)) return null;
  const names = security.flatMap((requirement) => (isMap(requirement) ? Object.keys(requirement) : []));
  if (names.some((name) => name !== "NONE" && name !== "api_key" && !apiKeys.has(name))) return "authorizer";
  return names.includes("NONE") ? "none" : "empty";
}

/**
 * The operations of a literal OpenAPI / Swagger definition (`DefinitionBody`,
 * `Body`), with what the definition says about their authorization:
 * operation `security` (for HTTP APIs, else the definition's global `security`), and API
 * Gateway's `x-amazon-apigateway-auth` (`aws_iam`). Empty when the body is
 * not a literal map with `paths` (an `Fn::Transform` include, a location).
 */
function openApiOperations(body: Value | undefined, http: boolean): Operation[] {
  if (!isMap(body) || !isMap(body["paths"])) return [];
  const apiKeys = apiKeySchemes(body);
  // REST API import ignores the definition-level `security` (it must be set per method); HTTP APIs apply it.
  const global = http ? securityOf(body["security"], apiKeys) : null;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(body["paths"])) {
    if (!isMap(item)) continue;
    for (const method of OPENAPI_METHODS) {
      const op = item[method];
      if (!isMap(op)) continue;
      const iam = get(op, "x-amazon-apigateway-auth", "type");
      const own: Security = typeof iam === "string" && iam.toLowerCase() === "aws_iam" ? "authorizer" : securityOf(op["security"], apiKeys);
      out.push({ path, method: method === "x-amazon-apigateway-any-method" ? "ANY" : method.toUpperCase(), secured: own ?? global });
    }
  }
  return out;
}

function judgeSamApi(template: Template, api: Resource): Finding {
  const fallback = get(api.properties, "Auth", "DefaultAuthorizer");
  const hasDefault = isSet(fallback) && fallback !== "NONE";
  const definition = openApiOperations(api.properties["DefinitionBody"], api.type === "AWS::Serverless::HttpApi");
  const http = api.type === "AWS::Serverless::HttpApi";
  // With an OpenAPI DefinitionBody, a REST route's `Authorizer: NONE` lifts the default only with `OverrideApiAuth: true`.
  const needsOverride = !http && api.properties["DefinitionBody"] !== undefined;
  let routes = 0;
  let authorized = 0;
  let firstOpen: number | undefined;
  const declared = new Set<Operation>();
  for (const fn of resourcesOf(template, ["AWS::Serverless::Function"])) {
    for (const [, event] of samEvents(fn)) {
      if (get(event, "Type") !== (http ? "HttpApi" : "Api")) continue;
      const props = get(event, "Properties");
      const apiRef = get(props, http ? "ApiId" : "RestApiId");
      const target = apiRef === undefined ? (http ? "ServerlessHttpApi" : "ServerlessRestApi") : typeof apiRef === "string" ? apiRef : referencedId(apiRef);
      if (target !== api.id) continue;
      if (String(get(props, "Method") ?? "").toUpperCase() === "OPTIONS") continue;
      routes++;
      // A route the definition body secures is authorized whatever the event says.
      // An HttpApi event without Path / Method is the $default route.
      const method = String(get(props, "Method") ?? "ANY").toUpperCase();
      const path = get(props, "Path") ?? (http ? "$default" : undefined);
      const described = definition.find((op) => op.path === path && (op.method === method || op.method === "ANY" || method === "ANY"));
      if (described) declared.add(described);
      if (described?.secured === "authorizer" || routeAuthorized(props, hasDefault, needsOverride)) authorized++;
      else firstOpen ??= lineOf(get(props, "Auth"), "Authorizer", lineOf(event, "Properties", fn.position.line));
    }
  }
  // Operations only the definition body declares are routes too; SAM adds the default authorizer to those that say nothing.
  for (const op of definition) {
    if (declared.has(op)) continue;
    routes++;
    // SAM adds the default authorizer to every operation that does not name NONE (also to `security: []`).
    if (op.secured === "authorizer" || (op.secured !== "none" && hasDefault)) authorized++;
    else firstOpen ??= lineOf(api.properties, "DefinitionBody", api.position.line);
  }
  if (routes === 0) {
    if (hasDefault) return finding(api.id, 1, lineAt(api, ["Auth", "DefaultAuthorizer"]), "a default authorizer protects every route", "");
    return finding(api.id, 0, lineAt(api, ["Auth"]), "no default authorizer (routes come from a definition body or are not declared here)", FIX_SAM);
  }
  const score = authorized / routes;
  const protectedBy = hasDefault ? "a default authorizer protects every route" : "every route has an authorizer";
  return finding(api.id, score, firstOpen ?? lineAt(api, hasDefault ? ["Auth", "DefaultAuthorizer"] : ["Auth"]),
    score >= 1 ? protectedBy : `${routes - authorized} of ${routes} routes have no authorizer`, FIX_SAM);
}

/**
 * Whether one SAM event's route ends up behind an authorizer: its own
 * `Auth.Authorizer` (anything but `NONE`), else the API's default. `NONE`
 * on the route opens it even when the API has a default (for a REST API
 * described by a DefinitionBody, only together with `OverrideApiAuth: true`).
 */
function routeAuthorized(props: Value | undefined, hasDefault: boolean, needsOverride: boolean): boolean {
  const own = get(props, "Auth", "Authorizer");
  if (!isSet(own)) return hasDefault;
  if (own !== "NONE") return true;
  if (!hasDefault) return false;
  return needsOverride && !isTrue(get(props, "Auth", "OverrideApiAuth"));
}

function judgeCfnApi(template: Template, api: Resource): Finding | undefined {
  const v2 = api.type === "AWS::ApiGatewayV2::Api";
  let routes = 0;
  let authorized = 0;
  let firstOpen: number | undefined;
  for (const r of resourcesOf(template, [v2 ? "AWS::ApiGatewayV2::Route" : "AWS::ApiGateway::Method"])) {
    if (referencedId(r.properties[v2 ? "ApiId" : "RestApiId"]) !== api.id) continue;
    if (!v2 && String(r.properties["HttpMethod"] ?? "").toUpperCase() === "OPTIONS") continue;
    if (v2 && typeof r.properties["RouteKey"] === "string" && (r.properties["RouteKey"] as string).startsWith("OPTIONS ")) continue;
    routes++;
    const type = r.properties["AuthorizationType"];
    if (isSet(type) && type !== "NONE") authorized++;
    else firstOpen ??= lineOf(r.properties, "AuthorizationType", r.position.line);
  }
  if (routes === 0) {
    const ops = openApiOperations(api.properties["Body"], api.type === "AWS::ApiGatewayV2::Api");
    return ops.length > 0 ? judgeDefinition(api, ops, "Body", FIX_DEFINITION) : undefined;
  }
  const score = authorized / routes;
  return finding(api.id, score, firstOpen ?? api.position.line,
    score >= 1 ? "every method has an authorizer" : `${routes - authorized} of ${routes} methods have no authorization`,
    "Set `AuthorizationType` (COGNITO_USER_POOLS, CUSTOM, AWS_IAM, JWT) and `AuthorizerId` on each method/route.");
}

const FIX_DEFINITION = "Add a `security` requirement (with a matching security scheme / authorizer) to every operation, or globally.";

/** An API described by its OpenAPI definition only: the share of its operations that require authorization. */
function judgeDefinition(api: Resource, ops: readonly Operation[], property: string, fix: string): Finding {
  const secured = ops.filter((op) => op.secured === "authorizer").length;
  const open = ops.filter((op) => op.secured !== "authorizer");
  const line = lineOf(api.properties, property, api.position.line);
  if (open.length === 0) return finding(api.id, 1, line, `every operation of the ${property} requires authorization`, "");
  const first = open[0] as Operation;
  return finding(api.id, secured / ops.length, line,
    `${open.length} of ${ops.length} operations of the ${property} require no authorization (first: ${first.method} ${first.path})`, fix);
}
