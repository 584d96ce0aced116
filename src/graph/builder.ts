import { getAttTarget, intrinsicName, isMap, isPlainMap, leadingSubVariable, refTarget, subVariables } from "../template/intrinsics.js";
import { positionOf } from "../template/positions.js";
import type { Resource, Template, Value, ValueMap } from "../template/types.js";
import { table, type Table } from "../tables.js";
import { ARN_SERVICE_KINDS, HELPER_TYPES, kindOfType } from "./kinds.js";
import type { EdgeKind, EventGraph, GraphEdge, GraphNode, NodeKind } from "./types.js";

/** Where something is written: the object that holds it and its key there. */
export interface At {
  container: object;
  key?: string | number;
}

/**
 * Resource types that stand for another resource (an alias stands for its
 * function): the property paths that name it, `*` for every list element.
 */
const STAND_INS: Table<readonly (readonly string[])[]> = table({
  "AWS::Lambda::Alias": [["FunctionName"]],
  "AWS::Lambda::Version": [["FunctionName"]],
  "AWS::Lambda::Url": [["TargetFunctionArn"]],
  "AWS::StepFunctions::StateMachineVersion": [["StateMachineArn"]],
  "AWS::StepFunctions::StateMachineAlias": [
    ["DeploymentPreference", "StateMachineVersionArn"],
    ["RoutingConfiguration", "*", "StateMachineVersionArn"],
  ],
  "AWS::ApiGateway::Stage": [["RestApiId"]],
  "AWS::ApiGateway::Deployment": [["RestApiId"]],
  "AWS::ApiGatewayV2::Stage": [["ApiId"]],
  "AWS::ApiGatewayV2::Deployment": [["ApiId"]],
  "AWS::Kinesis::StreamConsumer": [["StreamARN"]],
});

/** The values at `path` below `root` (with `*` fanning out over lists), each with where it is written. */
function valuesAt(root: ValueMap, path: readonly string[]): { value: Value; at: At }[] {
  let current: { value: Value; at: At }[] = [{ value: root, at: { container: root } }];
  for (const step of path) {
    const next: { value: Value; at: At }[] = [];
    for (const { value } of current) {
      if (step === "*") {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ value: item, at: { container: value, key: i } }));
      } else if (isPlainMap(value) && value[step] !== undefined) {
        next.push({ value: value[step] as Value, at: { container: value, key: step } });
      }
    }
    current = next;
  }
  return current;
}

/**
 * The property that holds a resource's own name, by type: a parameter given
 * there stands for the resource wherever the template names it by that
 * parameter (`TableName: !Ref TableNameParam` in a policy).
 */
const NAME_PROPERTY: Table<string> = table({
  "AWS::DynamoDB::Table": "TableName",
  "AWS::DynamoDB::GlobalTable": "TableName",
  "AWS::Serverless::SimpleTable": "TableName",
  "AWS::SQS::Queue": "QueueName",
  "AWS::SNS::Topic": "TopicName",
  "AWS::S3::Bucket": "BucketName",
  "AWS::Kinesis::Stream": "Name",
  "AWS::KinesisFirehose::DeliveryStream": "DeliveryStreamName",
  "AWS::Lambda::Function": "FunctionName",
  "AWS::Serverless::Function": "FunctionName",
  "AWS::StepFunctions::StateMachine": "StateMachineName",
  "AWS::Serverless::StateMachine": "Name",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::Events::EventBus": "Name",
  "AWS::SecretsManager::Secret": "Name",
  "AWS::SSM::Parameter": "Name",
});

/** Most labels one merged edge lists before it says how many more there are. */
const MAX_LABELS = 3;

/**
 * Collects the nodes and edges of one template's event graph. Extractors
 * (one per source of edges, under extract/) call `resolve` to turn property
 * values into node IDs and `addEdge` to record what they find.
 */
export class GraphBuilder {
  readonly template: Template;
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  /** Every distinct label merged into an edge, by edge key (the edge shows the first few). */
  private readonly labels = new Map<string, string[]>();
  private readonly standInCache = new Map<string, string[]>();
  /** Parameter -> the resources whose name property is exactly that parameter (built on first use). */
  private namedBy: Map<string, string[]> | undefined;

  constructor(template: Template) {
    this.template = template;
    for (const resource of template.resources.values()) {
      const kind = kindOfType(resource.type);
      if (kind) this.nodes.set(resource.id, { id: resource.id, type: resource.type, kind, line: resource.position.line });
    }
  }

  /** Resources of the given types, in template order. */
  resourcesOfType(...types: string[]): Resource[] {
    const wanted = new Set(types);
    return [...this.template.resources.values()].filter((r) => wanted.has(r.type));
  }

  /** The line where `at.container[at.key]` is written (or the container, or 1). */
  line(at: At | undefined): number {
    if (!at) return 1;
    return positionOf(at.container, at.key)?.line ?? 1;
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  /** Adds a node SAM creates implicitly (ServerlessRestApi, an event's rule, ...); no-op when it exists. */
  addImplicitNode(id: string, type: string, line: number): void {
    if (this.nodes.has(id)) return;
    this.nodes.set(id, { id, type, kind: kindOfType(type) ?? "other", line, implicit: true });
  }

  /**
   * Adds a directed edge between two node IDs (as returned by `resolve` or
   * `entity`). Duplicates (same from, to and kind) are merged: the first line
   * stays, labels are joined.
   */
  addEdge(from: string, to: string, kind: EdgeKind, line: number, label?: string): void {
    this.ensureNode(from, line);
    this.ensureNode(to, line);
    const key = `${from}\u0000${to}\u0000${kind}`;
    const existing = this.edges.get(key);
    if (existing) {
      const labels = this.labels.get(key) as string[];
      if (label && !labels.includes(label)) {
        labels.push(label);
        const shown = labels.slice(0, MAX_LABELS).join(", ");
        existing.label = labels.length > MAX_LABELS ? `${shown} (+${labels.length - MAX_LABELS} more)` : shown;
      }
      return;
    }
    this.labels.set(key, label ? [label] : []);
    this.edges.set(key, label ? { from, to, kind, line, label } : { from, to, kind, line });
  }

  private ensureNode(id: string, line: number): void {
    if (this.nodes.has(id)) return;
    const resource = this.template.resources.get(id);
    if (resource) {
      this.nodes.set(id, { id, type: resource.type, kind: kindOfType(resource.type) ?? "other", line: resource.position.line });
      return;
    }
    this.nodes.set(id, { id, type: "External", kind: "external", line });
  }

  /**
   * The graph node a logical ID stands for: the resource itself, or for
   * helpers such as a Lambda alias or an API stage, the resource behind them.
   * SAM templates may name resources SAM generates (`MyFunctionAliaslive`,
   * `MyFunction.Version`): these map back to the resource they derive from.
   */
  entity(id: string): string[] {
    const cached = this.standInCache.get(id);
    if (cached) return cached;
    this.standInCache.set(id, []); // guards against reference cycles
    const result = this.computeEntity(id);
    this.standInCache.set(id, result);
    return result;
  }

  private computeEntity(id: string): string[] {
    const resource = this.template.resources.get(id);
    if (resource) {
      const paths = STAND_INS.get(resource.type);
      if (paths) {
        const out: string[] = [];
        for (const path of paths) {
          for (const { value, at } of valuesAt(resource.properties, path)) out.push(...this.resolve(value, at));
        }
        if (out.length > 0) return unique(out);
      }
      return [id];
    }
    const parameter = this.template.parameters.get(id);
    if (parameter) {
      // `TableName: !Ref TableNameParam` in a policy, where the table is named
      // `!Ref TableNameParam`: the parameter stands for that table.
      const named = this.resourcesNamedBy(id);
      if (named.length === 1) return this.entity(named[0] as string);
      this.ensureExternal(id, parameterType(parameter.type), undefined, parameter.position.line);
      return [id];
    }
    if (this.template.isSam) {
      let best: Resource | undefined;
      for (const r of this.template.resources.values()) {
        if (id.startsWith(r.id) && id !== r.id && r.type.startsWith("AWS::Serverless::") && (!best || r.id.length > best.id.length)) best = r;
      }
      if (best) return [best.id];
    }
    return [];
  }

  private resourcesNamedBy(parameter: string): string[] {
    if (!this.namedBy) {
      this.namedBy = new Map();
      for (const resource of this.template.resources.values()) {
        const prop = NAME_PROPERTY.get(resource.type);
        if (!prop) continue;
        const value = resource.properties[prop];
        const ref = refTarget(value);
        const sub = intrinsicName(value) === "Fn::Sub" ? (value as ValueMap)["Fn::Sub"] : undefined;
        const named = ref ?? (typeof sub === "string" ? /^\$\{([A-Za-z0-9]+)\}$/.exec(sub.trim())?.[1] : undefined);
        if (named && this.template.parameters.has(named)) {
          const list = this.namedBy.get(named) ?? [];
          list.push(resource.id);
          this.namedBy.set(named, list);
        }
      }
    }
    return this.namedBy.get(parameter) ?? [];
  }

  /**
   * The node IDs a property value points at: `!Ref X`, `!GetAtt X.Arn`,
   * `!Sub "${X.Arn}"`, ARN strings (external nodes), `!ImportValue` (external),
   * both branches of `!If`, the elements of a list. Unresolvable values
   * (wildcards, names computed at deploy time) give an empty list.
   */
  resolve(value: Value | undefined, at?: At): string[] {
    const out: string[] = [];
    this.resolveInto(value, at, out, 0);
    return unique(out);
  }

  private resolveInto(value: Value | undefined, at: At | undefined, out: string[], depth: number): void {
    if (value === undefined || value === null || depth > 16) return;
    if (typeof value === "string") {
      const external = externalFromArn(value);
      if (external) out.push(this.ensureExternal(value, external.type, external.kind, this.line(at)));
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.resolveInto(item, { container: value, key: i }, out, depth + 1));
      return;
    }
    if (!isMap(value)) return;
    const name = intrinsicName(value);
    const ref = refTarget(value);
    if (ref !== undefined) {
      if (ref.startsWith("AWS::")) return;
      const dot = ref.indexOf(".");
      out.push(...this.entity(dot > 0 ? ref.slice(0, dot) : ref));
      return;
    }
    const getAtt = getAttTarget(value);
    if (getAtt) {
      out.push(...this.entity(getAtt[0]));
      return;
    }
    const inner = name ? (value as ValueMap)[name] : undefined;
    switch (name) {
      case "Fn::Sub": {
        const text = typeof inner === "string" ? inner : Array.isArray(inner) && typeof inner[0] === "string" ? inner[0] : undefined;
        if (text === undefined) return;
        const locals = Array.isArray(inner) && isMap(inner[1]) ? inner[1] : undefined;
        let found = false;
        for (const variable of subVariables(text)) {
          const target = variable.split(".")[0] as string;
          if (target.startsWith("AWS::")) continue;
          let ids: string[];
          if (locals && target in locals) {
            ids = [];
            this.resolveInto(locals[target], { container: locals, key: target }, ids, depth + 1);
          } else {
            ids = this.entity(target);
          }
          // A parameter inside a longer ARN pattern names part of a resource
          // (its region, account, name), not the resource itself; at the very
          // start, followed by a path (`${BucketArn}/*`), it is the resource's ARN.
          const whole = text.trim() === `\${${variable}}` || leadingSubVariable(text) === variable;
          const named = ids.filter((id) => whole || this.template.resources.has(id));
          if (named.length > 0) {
            out.push(...named);
            found = true;
          }
        }
        if (!found) {
          const external = externalFromArn(text);
          if (external) out.push(this.ensureExternal(text, external.type, external.kind, this.line(at)));
        }
        return;
      }
      case "Fn::If":
        if (Array.isArray(inner)) {
          this.resolveInto(inner[1], { container: inner, key: 1 }, out, depth + 1);
          this.resolveInto(inner[2], { container: inner, key: 2 }, out, depth + 1);
        }
        return;
      case "Fn::ImportValue": {
        const exportName = typeof inner === "string" ? inner : JSON.stringify(inner);
        out.push(this.ensureExternal(`Import:${exportName}`, "External", undefined, this.line(at)));
        return;
      }
      case "Fn::Join": {
        // An ARN assembled from parts: resolve the resource parts it names; else, when the
        // parts spell an ARN (`arn`, the partition, the service, ...), it is an external resource.
        if (Array.isArray(inner) && Array.isArray(inner[1])) {
          // As in Fn::Sub, a parameter among the parts names part of an ARN (a name, a region), not the
          // resource, unless it comes first: `!Join ["", [!Ref BucketArn, "/*"]]` is that bucket's objects.
          const resources: string[] = [];
          inner[1].forEach((part, index) => {
            if (!isMap(part)) return;
            const named: string[] = [];
            this.resolveInto(part, at, named, depth + 1);
            resources.push(...(index === 0 ? named : named.filter((id) => !this.template.parameters.has(id))));
          });
          out.push(...resources);
          if (resources.length === 0 && typeof inner[0] === "string") {
            const text = inner[1].map((part) => joinPart(part)).join(inner[0]);
            const external = externalFromArn(text);
            if (external) out.push(this.ensureExternal(text, external.type, external.kind, this.line(at)));
          }
        }
        return;
      }
      case "Fn::Select":
      case "Fn::FindInMap":
      case "Fn::Split":
      case "Fn::GetAZs":
      case "Fn::Base64":
        return;
      default:
        return;
    }
  }

  /** Adds (once) an external node, for things referenced but not defined in the template. */
  ensureExternal(id: string, type: string, kind: NodeKind | undefined, line: number): string {
    if (!this.nodes.has(id)) this.nodes.set(id, kind ? { id, type, kind: "external", line, service: kind } : { id, type, kind: "external", line });
    return id;
  }

  /** True when `id` is a node, not a helper resource that only wires others. */
  isNode(id: string): boolean {
    const resource = this.template.resources.get(id);
    return this.nodes.has(id) || (resource !== undefined && !HELPER_TYPES.has(resource.type));
  }

  /**
   * The graph. External nodes exist only as endpoints: one that no edge
   * touches (a parameter met while resolving a value that was then
   * discarded) is left out.
   */
  build(): EventGraph {
    const edges = [...this.edges.values()];
    const touched = new Set<string>();
    for (const edge of edges) {
      touched.add(edge.from);
      touched.add(edge.to);
    }
    const nodes = [...this.nodes.values()].filter((n) => n.kind !== "external" || touched.has(n.id));
    return { nodes, edges };
  }
}

/**
 * One part of an `Fn::Join`, as text: literals as they are, a Ref as
 * `${Name}`, any other value as `${...}` around its own JSON, so that two
 * ARNs built from different expressions stay two nodes.
 */
function joinPart(part: Value): string {
  if (typeof part === "string" || typeof part === "number") return String(part);
  const ref = refTarget(part);
  if (ref !== undefined) return `\${${ref}}`;
  return `\${${JSON.stringify(part)}}`;
}

function unique(ids: string[]): string[] {
  return ids.length < 2 ? ids : [...new Set(ids)];
}

const ARN = /^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):([a-z0-9-]+):/;

/** What an ARN (possibly with `${AWS::Region}`-style variables) says about the resource it names. */
export function externalFromArn(text: string): { type: string; kind: NodeKind | undefined } | undefined {
  const match = ARN.exec(text);
  if (!match) return undefined;
  const service = match[1] as string;
  return { type: `arn:${service}`, kind: ARN_SERVICE_KINDS.get(service) };
}

function parameterType(type: string | undefined): string {
  return type ? `Parameter (${type})` : "Parameter";
}
