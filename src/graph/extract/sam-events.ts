import { positionOf } from "../../template/positions.js";
import type { ValueMap } from "../../template/types.js";
import { table, type Table } from "../../tables.js";
import type { At, GraphBuilder } from "../builder.js";
import { alexaNode, apiTargets, implicitApi, asList, asMap, asText, busTargets, eventLabel, namedExternal, propsOf, targets } from "./triggers/common.js";

/**
 * Trigger edges from the `Events` of SAM functions and state machines.
 *
 * Each event gives edges source -> function (or state machine), on the line of
 * the event's name. Events for which SAM generates a resource that is a graph
 * node of its own (an EventBridge rule, a schedule, an IoT topic rule, the
 * queue of an SNS event with `SqsSubscription: true`) create an implicit node
 * under exactly the logical ID SAM gives that resource (`<Function><Event>`,
 * `<Function><Event>Queue`), so a SAM template and its translated
 * CloudFormation give the same edges.
 */
export function extractSamEvents(graph: GraphBuilder): void {
  for (const resource of graph.resourcesOfType("AWS::Serverless::Function", "AWS::Serverless::StateMachine")) {
    const events = asMap(resource.properties["Events"]);
    if (!events) continue;
    for (const name of Object.keys(events)) {
      const event = asMap(events[name]);
      const type = asText(event?.["Type"]);
      if (!event || !type) continue;
      const handler = HANDLERS.get(type);
      if (!handler) continue;
      handler({
        graph,
        target: resource.id,
        name,
        type,
        props: propsOf(event["Properties"]),
        line: positionOf(events, name)?.line ?? resource.position.line,
      });
    }
  }
}

/** What an event handler knows about one event. */
interface SamEvent {
  graph: GraphBuilder;
  /** Logical ID of the function or state machine the event belongs to. */
  target: string;
  /** The event's name (its key under `Events`). */
  name: string;
  type: string;
  props: ValueMap;
  line: number;
}

type Handler = (event: SamEvent) => void;

function at(event: SamEvent, key: string): At {
  return { container: event.props, key };
}

/** Edges from whatever the property names (template resources, parameters, ARNs) to the event's target. */
function fromProperty(key: string, service?: string, detail?: (e: SamEvent) => string | undefined): Handler {
  return (event) => {
    const label = eventLabel(event.name, event.type, detail?.(event));
    for (const source of targets(event.graph, event.props[key], at(event, key), service)) {
      event.graph.addEdge(source, event.target, "trigger", event.line, label);
    }
  };
}

/** An implicit node SAM generates for the event (`<Target><Event><suffix>`), as the event's source. */
function fromGenerated(type: string, suffix = "", detail?: (e: SamEvent) => string | undefined): Handler {
  return (event) => {
    const id = `${event.target}${event.name}${suffix}`;
    event.graph.addImplicitNode(id, type, event.line);
    event.graph.addEdge(id, event.target, "trigger", event.line, eventLabel(event.name, event.type, detail?.(event)));
  };
}

function routeDetail(event: SamEvent): string | undefined {
  const method = asText(event.props["Method"]);
  const path = asText(event.props["Path"]);
  if (!method && !path) return undefined;
  return [method?.toUpperCase(), path].filter((part) => part !== undefined).join(" ");
}

function literal(key: string): (event: SamEvent) => string | undefined {
  return (event) => asText(event.props[key]);
}

/** Api / HttpApi: the named API, else the implicit API SAM creates. */
function fromApi(idKey: string, implicitId: string): Handler {
  return (event) => {
    const label = eventLabel(event.name, event.type, routeDetail(event));
    const value = event.props[idKey];
    let apis = value === undefined ? [] : apiTargets(event.graph, value, at(event, idKey));
    if (value === undefined) {
      implicitApi(event.graph, implicitId, event.line);
      apis = [implicitId];
    }
    for (const api of apis) event.graph.addEdge(api, event.target, "trigger", event.line, label);
  };
}

/**
 * SNS: topic -> function; with `SqsSubscription`, SAM puts a queue in between
 * (topic -> queue -> function): its own `<Function><Event>Queue`, or the queue
 * given by `SqsSubscription.QueueArn`.
 */
function sns(event: SamEvent): void {
  const { graph, props } = event;
  const label = eventLabel(event.name, event.type);
  const topics = targets(graph, props["Topic"], at(event, "Topic"), "sns");
  const subscription = props["SqsSubscription"];
  let queues: string[] = [];
  const subscriptionMap = asMap(subscription);
  if (subscriptionMap && subscriptionMap["QueueArn"] !== undefined) {
    queues = targets(graph, subscriptionMap["QueueArn"], { container: subscriptionMap, key: "QueueArn" }, "sqs");
  } else if (subscription === true || subscription === "true" || subscriptionMap) {
    const queue = `${event.target}${event.name}Queue`;
    graph.addImplicitNode(queue, "AWS::SQS::Queue", event.line);
    queues = [queue];
  }
  if (queues.length === 0) {
    for (const topic of topics) graph.addEdge(topic, event.target, "trigger", event.line, label);
    return;
  }
  for (const queue of queues) {
    for (const topic of topics) graph.addEdge(topic, queue, "trigger", event.line, label);
    graph.addEdge(queue, event.target, "trigger", event.line, label);
  }
}

/** EventBridge rules SAM generates; a rule on a named bus also gets bus -> rule. */
function fromRule(detail?: (e: SamEvent) => string | undefined): Handler {
  const rule = fromGenerated("AWS::Events::Rule", "", detail);
  return (event) => {
    rule(event);
    const bus = event.props["EventBusName"];
    if (bus === undefined) return;
    const ruleId = `${event.target}${event.name}`;
    for (const source of busTargets(event.graph, bus, at(event, "EventBusName"))) {
      event.graph.addEdge(source, ruleId, "trigger", event.line, eventLabel(event.name, event.type));
    }
  };
}

/** Self-managed Kafka has no ARN: the cluster is named by its bootstrap servers. */
function selfManagedKafka(event: SamEvent): void {
  const servers = asList(event.props["KafkaBootstrapServers"]).filter((s): s is string => typeof s === "string");
  const id = namedExternal(event.graph, "kafka", servers.length > 0 ? servers.join(",") : "self-managed", event.line);
  event.graph.addEdge(id, event.target, "trigger", event.line, eventLabel(event.name, event.type));
}

/** Alexa skills live outside the template: one external node per skill ID. */
function alexaSkill(event: SamEvent): void {
  const skill = asText(event.props["SkillId"]);
  const id = alexaNode(event.graph, skill, event.line);
  event.graph.addEdge(id, event.target, "trigger", event.line, eventLabel(event.name, event.type));
}

const HANDLERS: Table<Handler> = table<Handler>({
  S3: fromProperty("Bucket", "s3"),
  SNS: sns,
  SQS: fromProperty("Queue", "sqs"),
  Kinesis: fromProperty("Stream", "kinesis"),
  DynamoDB: fromProperty("Stream", "dynamodb"),
  MSK: fromProperty("Stream", "kafka"),
  MQ: fromProperty("Broker", "mq"),
  DocumentDB: fromProperty("Cluster", "rds"),
  SelfManagedKafka: selfManagedKafka,
  Api: fromApi("RestApiId", "ServerlessRestApi"),
  HttpApi: fromApi("ApiId", "ServerlessHttpApi"),
  Schedule: fromRule(literal("Schedule")),
  CloudWatchEvent: fromRule(),
  EventBridgeRule: fromRule(),
  ScheduleV2: fromGenerated("AWS::Scheduler::Schedule", "", literal("ScheduleExpression")),
  IoTRule: fromGenerated("AWS::IoT::TopicRule"),
  CloudWatchLogs: fromProperty("LogGroupName", "logs"),
  Cognito: fromProperty("UserPool", "cognito-idp"),
  AlexaSkill: alexaSkill,
});
