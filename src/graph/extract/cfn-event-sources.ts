import type { Resource, Value, ValueMap } from "../../template/types.js";
import { table, type Table } from "../../tables.js";
import type { At, GraphBuilder } from "../builder.js";
import type { EdgeKind } from "../types.js";
import { asList, asMap, asText, busTargets, namedExternal, targets } from "./triggers/common.js";
import { extractPermissions, type Wired } from "./triggers/permissions.js";

/**
 * Trigger edges from plain CloudFormation wiring: what the SAM translator
 * generates and what people write by hand. The helper resources (event
 * source mappings, subscriptions, subscription filters, permissions) become
 * edges between the resources they connect, never nodes.
 *
 * Edge directions: event source -> what it delivers to. EventBridge rules,
 * schedules, IoT topic rules and pipes are nodes of their own: bus -> rule ->
 * target, schedule -> target, topic rule -> action target, and for a pipe
 * source -> pipe -> target (the pipe's enrichment is an `invoke` edge
 * pipe -> function). Deliveries are `trigger` edges whatever the target (a
 * function, a queue, a topic, a stream); actions that store data (an IoT rule
 * writing to a table or a bucket) are `write` edges.
 */
export function extractCfnEventSources(graph: GraphBuilder): void {
  const wired: Wired = new Set();
  const permissions: Resource[] = [];
  for (const resource of graph.template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::Lambda::EventSourceMapping":
        eventSourceMapping(graph, resource, props, wired);
        break;
      case "AWS::S3::Bucket":
        bucketNotifications(graph, resource, props, wired);
        break;
      case "AWS::SNS::Subscription":
        snsSubscription(graph, props, props["TopicArn"], { container: props, key: "TopicArn" }, wired, resource.id);
        break;
      case "AWS::SNS::Topic":
        for (const subscription of asList(props["Subscription"])) {
          const map = asMap(subscription);
          if (map) snsSubscription(graph, map, undefined, undefined, wired, resource.id, resource.id);
        }
        break;
      case "AWS::Events::Rule":
        eventRule(graph, resource, props, wired);
        break;
      case "AWS::Scheduler::Schedule":
        schedule(graph, resource, props);
        break;
      case "AWS::Pipes::Pipe":
        pipe(graph, resource, props);
        break;
      case "AWS::Logs::SubscriptionFilter":
        subscriptionFilter(graph, resource, props, wired);
        break;
      case "AWS::IoT::TopicRule":
        topicRule(graph, resource, props, wired);
        break;
      case "AWS::Cognito::UserPool":
        userPoolTriggers(graph, resource, props, wired);
        break;
      case "AWS::Lambda::Permission":
        permissions.push(resource);
        break;
      default:
        break;
    }
  }
  extractPermissions(graph, permissions, wired);
}

function link(graph: GraphBuilder, sources: string[], destinations: string[], kind: EdgeKind, line: number, label: string, wired?: Wired, service?: string): void {
  for (const to of destinations) {
    if (wired && service) wired.add(`${service}\u0000${to}`);
    for (const from of sources) if (from !== to) graph.addEdge(from, to, kind, line, label);
  }
}

function eventSourceMapping(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  const functions = targets(graph, props["FunctionName"], { container: props, key: "FunctionName" }, "lambda");
  let sources: string[];
  let line: number;
  if (props["EventSourceArn"] !== undefined) {
    sources = targets(graph, props["EventSourceArn"], { container: props, key: "EventSourceArn" });
    line = graph.line({ container: props, key: "EventSourceArn" });
  } else {
    const endpoints = asMap(asMap(props["SelfManagedEventSource"])?.["Endpoints"]);
    const servers = asList(endpoints?.["KafkaBootstrapServers"]).filter((s): s is string => typeof s === "string");
    line = graph.line({ container: props, key: "SelfManagedEventSource" });
    sources = props["SelfManagedEventSource"] === undefined ? [] : [namedExternal(graph, "kafka", servers.length > 0 ? servers.join(",") : "self-managed", line)];
  }
  link(graph, sources, functions, "trigger", line, `${resource.id} (EventSourceMapping)`, wired, "esm");
}

function bucketNotifications(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  const notifications = asMap(props["NotificationConfiguration"]);
  if (!notifications) return;
  const kinds: [string, string][] = [
    ["LambdaConfigurations", "Function"],
    ["QueueConfigurations", "Queue"],
    ["TopicConfigurations", "Topic"],
  ];
  for (const [list, key] of kinds) {
    for (const entry of asList(notifications[list])) {
      const map = asMap(entry);
      if (!map) continue;
      const where = { container: map, key };
      const event = asText(map["Event"]);
      link(graph, [resource.id], targets(graph, map[key], where), "trigger", graph.line(where), event ? `S3 ${event}` : "S3 notification", wired, "s3");
    }
  }
}

const RESOURCE_PROTOCOLS: ReadonlySet<string> = new Set(["lambda", "sqs", "firehose"]);

/** A subscription (a resource, or an entry of a topic's `Subscription` list): topic -> endpoint. */
function snsSubscription(graph: GraphBuilder, props: ValueMap, topicValue: Value | undefined, topicAt: At | undefined, wired: Wired, label: string, topicId?: string): void {
  const topics = topicId ? [topicId] : targets(graph, topicValue, topicAt as At, "sns");
  const where = { container: props, key: "Endpoint" };
  const protocol = asText(props["Protocol"]);
  // Email, SMS, HTTP(S) and mobile push subscribers are people and servers, not resources of the graph.
  if (protocol && !RESOURCE_PROTOCOLS.has(protocol.toLowerCase())) return;
  const endpoints = targets(graph, props["Endpoint"], where);
  link(graph, topics, endpoints, "trigger", graph.line(where), protocol ? `${label} (SNS ${protocol})` : `${label} (SNS)`, wired, "sns");
}

function eventRule(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  if (props["EventBusName"] !== undefined) {
    const where = { container: props, key: "EventBusName" };
    link(graph, busTargets(graph, props["EventBusName"], where), [resource.id], "trigger", graph.line(where), `${resource.id} (event bus)`);
  }
  for (const target of asList(props["Targets"])) {
    const map = asMap(target);
    if (!map) continue;
    const where = { container: map, key: "Arn" };
    const id = asText(map["Id"]);
    link(graph, [resource.id], targets(graph, map["Arn"], where), "trigger", graph.line(where), id ? `target ${id}` : "rule target", wired, "events");
  }
}

function schedule(graph: GraphBuilder, resource: Resource, props: ValueMap): void {
  const target = asMap(props["Target"]);
  if (!target) return;
  const where = { container: target, key: "Arn" };
  // Universal targets (`arn:aws:scheduler:::aws-sdk:...`) name an API call, not a resource.
  if (asText(target["Arn"])?.includes(":scheduler:::")) return;
  const expression = asText(props["ScheduleExpression"]);
  link(graph, [resource.id], targets(graph, target["Arn"], where), "trigger", graph.line(where), expression ? `schedule ${expression}` : "schedule");
}

function pipe(graph: GraphBuilder, resource: Resource, props: ValueMap): void {
  const sourceAt = { container: props, key: "Source" };
  const targetAt = { container: props, key: "Target" };
  const label = `${resource.id} (pipe)`;
  link(graph, targets(graph, props["Source"], sourceAt), [resource.id], "trigger", graph.line(sourceAt), label);
  link(graph, [resource.id], targets(graph, props["Target"], targetAt), "trigger", graph.line(targetAt), label);
  if (props["Enrichment"] !== undefined) {
    const enrichmentAt = { container: props, key: "Enrichment" };
    link(graph, [resource.id], targets(graph, props["Enrichment"], enrichmentAt), "invoke", graph.line(enrichmentAt), `${resource.id} (enrichment)`);
  }
}

function subscriptionFilter(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  const groups = targets(graph, props["LogGroupName"], { container: props, key: "LogGroupName" }, "logs");
  const where = { container: props, key: "DestinationArn" };
  link(graph, groups, targets(graph, props["DestinationArn"], where), "trigger", graph.line(where), `${resource.id} (log subscription)`, wired, "logs");
}

/**
 * Which property of each IoT rule action names its target, and whether the
 * action delivers an event (trigger) or stores data (write).
 */
interface IotAction {
  key: string;
  kind: EdgeKind;
  service?: string;
  nested?: string;
}

const IOT_ACTIONS: Table<IotAction> = table<IotAction>({
  Lambda: { key: "FunctionArn", kind: "trigger" },
  StepFunctions: { key: "StateMachineName", kind: "trigger", service: "states" },
  Sqs: { key: "QueueUrl", kind: "trigger" },
  Sns: { key: "TargetArn", kind: "trigger" },
  Kinesis: { key: "StreamName", kind: "trigger", service: "kinesis" },
  Firehose: { key: "DeliveryStreamName", kind: "trigger", service: "firehose" },
  DynamoDB: { key: "TableName", kind: "write", service: "dynamodb" },
  DynamoDBv2: { key: "TableName", kind: "write", service: "dynamodb", nested: "PutItem" },
  S3: { key: "BucketName", kind: "write", service: "s3" },
  CloudwatchLogs: { key: "LogGroupName", kind: "write", service: "logs" },
});

function topicRule(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  const payload = asMap(props["TopicRulePayload"]);
  if (!payload) return;
  const actions = asList(payload["Actions"]).map(asMap);
  for (const action of actions) {
    if (!action) continue;
    for (const name of Object.keys(action)) {
      const spec = IOT_ACTIONS.get(name);
      let config = asMap(action[name]);
      if (!spec || !config) continue;
      if (spec.nested) config = asMap(config[spec.nested]);
      if (!config) continue;
      const where = { container: config, key: spec.key };
      link(graph, [resource.id], targets(graph, config[spec.key], where, spec.service), spec.kind, graph.line(where), `${resource.id} (IoT ${name})`, wired, "iot");
    }
  }
}

/** Cognito triggers: every `LambdaConfig` entry but the KMS key; sender configs hold the function under `LambdaArn`. */
function userPoolTriggers(graph: GraphBuilder, resource: Resource, props: ValueMap, wired: Wired): void {
  const config = asMap(props["LambdaConfig"]);
  if (!config) return;
  for (const trigger of Object.keys(config)) {
    if (trigger === "KMSKeyID") continue;
    const value = config[trigger];
    const nested = asMap(value);
    const where: At = nested ? { container: nested, key: "LambdaArn" } : { container: config, key: trigger };
    const functions = targets(graph, nested ? nested["LambdaArn"] : value, where);
    link(graph, [resource.id], functions, "trigger", graph.line({ container: config, key: trigger }), `Cognito ${trigger}`, wired, "cognito-idp");
  }
}
