/**
 * Sets the deployed stack against the template under review: which deployed
 * resource is which template resource (and event graph node), and what
 * deploying the template would add, delete and replace. Pure.
 */
import type { EventGraph } from "../graph/types.js";
import type { Resource, Template, Value } from "../template/types.js";
import { dict } from "../tables.js";
import type { DeployedResource } from "./cloudformation.js";
import {
  REPLACEMENT_PROPERTIES,
  RETAINING_POLICIES,
  SAM_GENERATED_TYPES,
  SAM_HASHED_ID,
  SAM_IMPLICIT_PREFIXES,
  SAM_PROPERTY_NAMES,
  SAM_WITHOUT_OWN_RESOURCE,
  STATEFUL_TYPES,
  deployedTypeOf,
  generatesResources,
} from "./resource-types.js";
import { isIntrinsic } from "../template/intrinsics.js";
import type { LiveChanges, RemovedResource } from "./types.js";

/** Marks resources the SAM transform creates for the template as a whole (implicit APIs, ...). */
export const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

export interface ResourceMatch {
  /** The template resource this deployed resource is, or null. */
  templateId: string | null;
  /** The template resource that generated it (SAM), or SAM_TRANSFORM for template-wide ones. */
  generatedBy: string | null;
}

const HASH_SUFFIX = /^[0-9a-f]{10}$/;

/**
 * Which template resource a deployed logical ID stands for. Exact ID first;
 * then, for SAM templates, a hashed SAM ID (layers), then the longest
 * generating SAM resource whose ID prefixes it (when the deployed type is
 * one SAM generates), then template-wide SAM names.
 */
export function matchDeployed(logicalId: string, template: Template, deployedType?: string | null): ResourceMatch {
  if (template.resources.has(logicalId)) return { templateId: logicalId, generatedBy: null };
  if (!template.isSam) return { templateId: null, generatedBy: null };
  if (deployedType && !SAM_GENERATED_TYPES.has(deployedType)) return { templateId: null, generatedBy: null };
  let parent: Resource | null = null;
  for (const resource of template.resources.values()) {
    if (!logicalId.startsWith(resource.id) || logicalId === resource.id) continue;
    const rest = logicalId.slice(resource.id.length);
    if (SAM_HASHED_ID.has(resource.type) && HASH_SUFFIX.test(rest)) return { templateId: resource.id, generatedBy: null };
    if (!generatesResources(resource.type, resource.raw)) continue;
    if (deployedType && HOLDS_MESSAGES.has(deployedType) && !namesGeneratedChannel(resource, rest)) continue;
    if (!parent || resource.id.length > parent.id.length) parent = resource;
  }
  if (parent) return { templateId: null, generatedBy: parent.id };
  const naming = resourceNaming(logicalId, template);
  if (naming) return { templateId: null, generatedBy: naming };
  if (SAM_IMPLICIT_PREFIXES.some((prefix) => logicalId.startsWith(prefix))) {
    return { templateId: null, generatedBy: SAM_TRANSFORM };
  }
  return { templateId: null, generatedBy: null };
}

/** Generated types that hold data: matched by prefix only where SAM really makes them. */
const HOLDS_MESSAGES: ReadonlySet<string> = new Set(["AWS::SQS::Queue", "AWS::SNS::Topic"]);

/**
 * Whether `rest` (a deployed ID minus the SAM resource's ID) is a queue or
 * topic SAM makes for it: `<Event>Queue` (an SNS event's SqsSubscription, an
 * event's generated dead-letter queue) or `EventInvokeConfigOn...` (async
 * destinations). `WorkerDLQ` next to a function `Worker` is the user's own.
 */
function namesGeneratedChannel(resource: Resource, rest: string): boolean {
  if (rest.startsWith("EventInvokeConfig")) return true;
  const events = resource.properties["Events"];
  if (!events || typeof events !== "object" || Array.isArray(events)) return false;
  return Object.keys(events).some((name) => rest.startsWith(name));
}

/** Whether `value` holds the literal string `text` outside any intrinsic function. */
function holdsLiteral(value: Value | undefined, text: string): boolean {
  if (value === text) return true;
  if (value === null || typeof value !== "object" || isIntrinsic(value)) return false;
  const items: Value[] = Array.isArray(value) ? value : Object.values(value as Record<string, Value>);
  return items.some((item) => holdsLiteral(item, text));
}

/**
 * The SAM resource that names a generated resource in its properties
 * (`DeadLetterConfig: {QueueLogicalId: MyDLQ}`, `QueuePolicyLogicalId: ...`).
 */
function resourceNaming(logicalId: string, template: Template): string | null {
  for (const resource of template.resources.values()) {
    if (resource.type.startsWith("AWS::Serverless::") && holdsLiteral(resource.properties, logicalId)) return resource.id;
  }
  return null;
}

/** The event graph node a deployed resource is, or belongs to. */
export function graphNodeOf(match: ResourceMatch, logicalId: string, graph: EventGraph): string | null {
  const ids = new Set(graph.nodes.map((node) => node.id));
  for (const candidate of [match.templateId, logicalId, match.generatedBy]) {
    if (candidate && ids.has(candidate)) return candidate;
  }
  return null;
}

/** A stable text for a template value, for equality (object keys sorted). */
export function canonical(value: Value | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item)).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
}

/** Why deploying `resource` over `deployed` replaces it, or null when it does not (as far as we can tell). */
export function replacementReason(resource: Resource, deployed: Resource): string | null {
  const wanted = deployedTypeOf(resource.type);
  if (wanted !== deployed.type) return `its type changes from ${deployed.type} to ${wanted}`;
  const isSam = resource.type !== wanted;
  const names = isSam
    ? Object.entries(SAM_PROPERTY_NAMES.get(resource.type) ?? {})
    : (REPLACEMENT_PROPERTIES.get(wanted) ?? []).map((name): [string, string] => [name, name]);
  for (const [own, deployedName] of names) {
    const before = canonical(deployed.properties[deployedName]);
    const after = canonical(resource.properties[own]);
    if (before !== after) return `${own} changes, which CloudFormation can only apply by replacing the resource`;
  }
  return null;
}

function deletionPolicyOf(resource: Resource | undefined): string | null {
  const policy = resource?.raw["DeletionPolicy"];
  return typeof policy === "string" ? policy : null;
}

/**
 * What deploying `template` over the stack does. `deployedTemplate` is the
 * stack's processed template when it could be read (it enables replacement
 * and retention detection, and knows resources whose Condition is false).
 */
export function computeChanges(
  template: Template,
  deployed: readonly DeployedResource[],
  deployedTemplate: Template | null,
): LiveChanges {
  const matches = new Map(deployed.map((resource) => [resource.logicalId, matchDeployed(resource.logicalId, template, resource.type)]));
  const deployedIds = new Set<string>();
  for (const match of matches.values()) if (match.templateId) deployedIds.add(match.templateId);

  const added: string[] = [];
  for (const resource of template.resources.values()) {
    if (deployedIds.has(resource.id) || SAM_WITHOUT_OWN_RESOURCE.has(resource.type)) continue;
    // A conditional resource the deployed template also declares is absent because its condition is false.
    if (resource.condition && deployedTemplate?.resources.has(resource.id)) continue;
    added.push(resource.id);
  }

  const removed: RemovedResource[] = [];
  for (const resource of deployed) {
    const match = matches.get(resource.logicalId) as ResourceMatch;
    if (match.templateId || match.generatedBy) continue;
    const policy = deletionPolicyOf(deployedTemplate?.resources.get(resource.logicalId));
    removed.push({
      logicalId: resource.logicalId,
      type: resource.type,
      stateful: STATEFUL_TYPES.has(resource.type),
      retained: policy !== null && RETAINING_POLICIES.has(policy),
    });
  }

  const replaced: string[] = [];
  const replacedBecause = dict<string>();
  for (const resource of deployed) {
    const templateId = matches.get(resource.logicalId)?.templateId;
    const own = templateId ? template.resources.get(templateId) : undefined;
    if (!own || own.id !== resource.logicalId) continue;
    const before = deployedTemplate?.resources.get(resource.logicalId);
    const wanted = deployedTypeOf(own.type);
    // Without the deployed template, the type is all there is to compare.
    const reason = before
      ? replacementReason(own, before)
      : wanted !== resource.type
        ? `its type changes from ${resource.type} to ${wanted}`
        : null;
    if (reason) {
      replaced.push(own.id);
      replacedBecause[own.id] = reason;
    }
  }

  return { added: added.sort(), removed: removed.sort((a, b) => a.logicalId.localeCompare(b.logicalId)), replaced: replaced.sort(), replacedBecause };
}
