import { isMap } from "../../template/intrinsics.js";
import type { Resource, Template, ValueMap } from "../../template/types.js";
import { lineOf, resourcesOf } from "./findings.js";
import { samEvents } from "./functions.js";
import { get } from "./values.js";

/**
 * The API that SAM creates implicitly for `Api` (REST) or `HttpApi` events
 * without `RestApiId` / `ApiId`: `ServerlessRestApi` / `ServerlessHttpApi`,
 * configured from `Globals.Api` / `Globals.HttpApi`. Returned as a resource
 * of the SAM type so rules judge it like a declared one; its line is the
 * first event that makes SAM create it.
 */
export function implicitApi(template: Template, kind: "Api" | "HttpApi"): Resource | undefined {
  if (!template.isSam) return undefined;
  const id = kind === "Api" ? "ServerlessRestApi" : "ServerlessHttpApi";
  if (template.resources.has(id)) return undefined;
  for (const fn of resourcesOf(template, ["AWS::Serverless::Function"])) {
    for (const [, event] of samEvents(fn)) {
      if (get(event, "Type") !== kind) continue;
      const props = get(event, "Properties");
      if (get(props, kind === "Api" ? "RestApiId" : "ApiId") !== undefined) continue;
      const globals = template.globals?.[kind];
      const properties: ValueMap = isMap(globals) ? globals : Object.create(null);
      return {
        id,
        type: kind === "Api" ? "AWS::Serverless::Api" : "AWS::Serverless::HttpApi",
        properties,
        raw: Object.create(null),
        metadata: undefined,
        condition: undefined,
        dependsOn: [],
        position: { line: lineOf(event, "Type", fn.position.line), column: 1 },
      };
    }
  }
  return undefined;
}

/** SAM REST APIs (declared and implicit) and plain `AWS::ApiGateway::Stage` resources, in template order. */
export function restApiStages(template: Template): Resource[] {
  const out = resourcesOf(template, ["AWS::Serverless::Api", "AWS::ApiGateway::Stage"]);
  const implicit = implicitApi(template, "Api");
  if (implicit) out.push(implicit);
  return out;
}

/** SAM HTTP APIs (declared and implicit) and plain `AWS::ApiGatewayV2::Stage` resources. */
export function httpApiStages(template: Template): Resource[] {
  const out = resourcesOf(template, ["AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Stage"]);
  const implicit = implicitApi(template, "HttpApi");
  if (implicit) out.push(implicit);
  return out;
}
