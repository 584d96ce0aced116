import { collectReferences, isMap } from "../../template/intrinsics.js";
import type { RuleContext } from "../types.js";
import type { GraphNode } from "../../graph/types.js";
import type { Resource, Template, Value, ValueMap } from "../../template/types.js";
import { resourcesOf } from "./findings.js";
import { referencedId } from "./policies.js";
import { get } from "./values.js";

export const FUNCTION_TYPES = ["AWS::Serverless::Function", "AWS::Lambda::Function"];

export function functionsOf(template: Template): Resource[] {
  return resourcesOf(template, FUNCTION_TYPES);
}

/** Event sources that invoke Lambda asynchronously (the event is queued by Lambda; failures need a DLQ or destination). */
const ASYNC_SOURCE_KINDS = new Set(["bucket", "topic", "rule", "schedule", "event-bus", "iot-rule", "log-group", "pipeline"]);

/** SAM event types whose invocations are asynchronous. */
const ASYNC_SAM_EVENTS = new Set(["S3", "SNS", "Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule", "IoTRule", "CloudWatchLogs"]);

/**
 * Functions invoked asynchronously: targets of `trigger` edges from an
 * asynchronous source in the event graph, plus (for SAM functions) the
 * types of their own `Events`, which say the same thing before translation.
 */
export function asyncTriggeredFunctions(context: RuleContext): Map<string, string> {
  const out = new Map<string, string>();
  const nodes = new Map<string, GraphNode>(context.graph.nodes.map((n) => [n.id, n]));
  for (const edge of context.graph.edges) {
    if (edge.kind !== "trigger") continue;
    const source = nodes.get(edge.from);
    const kind = source?.kind === "external" ? source.service : source?.kind;
    if (kind && ASYNC_SOURCE_KINDS.has(kind) && !out.has(edge.to)) out.set(edge.to, edge.label ?? `${edge.from} (${kind})`);
  }
  for (const fn of resourcesOf(context.template, ["AWS::Serverless::Function"])) {
    for (const [name, event] of samEvents(fn)) {
      const type = get(event, "Type");
      // With SqsSubscription, SAM puts a queue between the topic and the function, which then polls it (synchronously).
      const viaQueue = type === "SNS" && isSubscribedViaQueue(get(event, "Properties", "SqsSubscription"));
      if (typeof type === "string" && ASYNC_SAM_EVENTS.has(type) && !viaQueue && !out.has(fn.id)) out.set(fn.id, `${name} (${type})`);
    }
  }
  return out;
}

/** An SNS event's SqsSubscription: `true`, or a map naming the queue; `false`, absent or unknown means a direct subscription. */
function isSubscribedViaQueue(value: unknown): boolean {
  return value === true || value === "true" || (typeof value === "object" && value !== null && !Array.isArray(value) && !Object.keys(value).some((k) => k === "Ref" || k.startsWith("Fn::")));
}

/** Functions invoked by users or events: targets of any `trigger` edge, or SAM functions with `Events`. */
export function triggeredFunctions(context: RuleContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const edge of context.graph.edges) {
    if (edge.kind === "trigger" && !out.has(edge.to)) out.set(edge.to, edge.label ?? edge.from);
  }
  for (const fn of resourcesOf(context.template, ["AWS::Serverless::Function"])) {
    const first = samEvents(fn)[0];
    if (first && !out.has(fn.id)) out.set(fn.id, `${first[0]} (${String(get(first[1], "Type") ?? "event")})`);
  }
  return out;
}

/**
 * Functions that are CodeDeploy lifecycle hooks: targets of `hook` edges,
 * functions named in some `DeploymentPreference.Hooks`, and functions whose
 * logical ID or literal FunctionName starts with `CodeDeployHook_` (the
 * naming CodeDeploy's managed policy requires).
 */
export function hookFunctions(context: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const edge of context.graph.edges) if (edge.kind === "hook") out.add(edge.to);
  for (const fn of functionsOf(context.template)) {
    const name = fn.properties["FunctionName"];
    if (fn.id.startsWith("CodeDeployHook_") || (typeof name === "string" && name.startsWith("CodeDeployHook_"))) out.add(fn.id);
    const hooks = get(fn.properties["DeploymentPreference"], "Hooks");
    if (isMap(hooks)) {
      for (const value of Object.values(hooks)) {
        const target = referencedId(value);
        if (target) out.add(target);
      }
    }
  }
  return out;
}

/** The `Events` of a SAM function as [name, event] pairs (malformed entries skipped). */
export function samEvents(fn: Resource): [string, ValueMap][] {
  const events = fn.properties["Events"];
  if (!isMap(events)) return [];
  const out: [string, ValueMap][] = [];
  for (const [name, event] of Object.entries(events)) if (isMap(event)) out.push([name, event]);
  return out;
}

/** `AWS::Lambda::EventInvokeConfig` resources by the function they configure. */
export function eventInvokeConfigs(template: Template): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const resource of resourcesOf(template, ["AWS::Lambda::EventInvokeConfig"])) {
    const target = referencedId(resource.properties["FunctionName"]);
    if (target) out.set(target, resource);
  }
  return out;
}

/** The function a permission or URL names: through an alias or version to its function. */
export function functionBehind(template: Template, id: string | undefined, depth = 0): string | undefined {
  if (id === undefined || depth > 4) return id;
  const dot = id.indexOf(".");
  if (dot > 0 && template.resources.has(id.slice(0, dot))) return id.slice(0, dot);
  const resource = template.resources.get(id);
  if (resource && (resource.type === "AWS::Lambda::Alias" || resource.type === "AWS::Lambda::Version")) {
    return functionBehind(template, referencedId(resource.properties["FunctionName"]), depth + 1);
  }
  if (!resource && template.isSam) {
    // SAM-generated names such as `MyFunctionAliaslive`.
    let best: string | undefined;
    for (const fn of functionsOf(template)) if (id.startsWith(fn.id) && (!best || fn.id.length > best.length)) best = fn.id;
    return best ?? id;
  }
  return id;
}

/**
 * The template function a `FunctionName` (or function ARN) value names: a
 * Ref / GetAtt, an `Fn::Sub` built on one (`${Fn.Arn}:live`), or a name,
 * full or partial ARN (literal, or an `Fn::Sub` whose function name is
 * literal) equal to a function's own literal `FunctionName`. A function
 * without a `FunctionName` gets a generated name, so a literal never names
 * it.
 */
export function functionNamedBy(template: Template, value: Value | undefined): string | undefined {
  const direct = referencedId(value);
  if (direct !== undefined) return functionBehind(template, direct);
  let text: string | undefined;
  if (isMap(value) && value["Fn::Sub"] !== undefined) {
    for (const reference of collectReferences(value, {}, "")) {
      const target = functionBehind(template, reference.target);
      if (target !== undefined && functionsOf(template).some((fn) => fn.id === target)) return target;
    }
    const sub = value["Fn::Sub"];
    text = typeof sub === "string" ? sub : Array.isArray(sub) && typeof sub[0] === "string" ? sub[0] : undefined;
  } else if (typeof value === "string") {
    text = value;
  }
  if (text === undefined) return undefined;
  // NAME, NAME:qualifier, ACCOUNT:function:NAME[:qualifier], arn:...:function:NAME[:qualifier].
  const name = (/(?:^|:)function:([^:]+)/.exec(text)?.[1] ?? text.split(":")[0] ?? "").trim();
  if (name === "" || name.includes("${")) return undefined;
  return functionsOf(template).find((fn) => fn.properties["FunctionName"] === name)?.id;
}
