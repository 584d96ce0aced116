import { isIntrinsic, isMap } from "../../template/intrinsics.js";
import type { Resource, Value, ValueMap } from "../../template/types.js";
import { parseJsonData, table, type Table } from "../../tables.js";
import type { GraphBuilder } from "../builder.js";
import { resolveTargets } from "./access/grants.js";
import { FUNCTION_TYPES } from "./access/roles.js";
import { branches, items } from "./access/statements.js";

/**
 * `destination` edges: where results or failures go.
 *
 * - Lambda asynchronous invocation: SAM `EventInvokeConfig` and
 *   `AWS::Lambda::EventInvokeConfig`, OnSuccess / OnFailure: function -> target.
 *   A SAM destination of type SQS/SNS without `Destination` is a queue/topic SAM
 *   creates, named `<Function>EventInvokeConfig<OnSuccess|OnFailure><Queue|Topic>`.
 * - Dead-letter queues: SAM `DeadLetterQueue.TargetArn`, Lambda
 *   `DeadLetterConfig.TargetArn`: function -> DLQ; SQS `RedrivePolicy`: queue -> DLQ;
 *   SNS subscription `RedrivePolicy`: topic -> DLQ.
 * - Event source mappings (`AWS::Lambda::EventSourceMapping` and SAM stream/queue
 *   events) `DestinationConfig.OnFailure`: from the FUNCTION, since the records
 *   that land there are the ones the function failed to process.
 * - EventBridge: `AWS::Events::Rule` target `DeadLetterConfig.Arn`: rule -> DLQ;
 *   `AWS::Scheduler::Schedule` `Target.DeadLetterConfig.Arn`: schedule -> DLQ;
 *   SAM Schedule / ScheduleV2 / EventBridgeRule / CloudWatchEvent events with
 *   `DeadLetterConfig`: the event's rule or schedule (`<Function><Event>`) -> DLQ
 *   (`Arn`, or the queue SAM creates: `QueueLogicalId` or `<Function><Event>Queue`).
 */
export function extractDestinations(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::Serverless::Function":
        samInvokeConfig(graph, resource);
        deadLetter(graph, resource.id, props["DeadLetterQueue"], "TargetArn", "DeadLetterQueue");
        deadLetter(graph, resource.id, props["DeadLetterConfig"], "TargetArn", "DeadLetterConfig");
        samEvents(graph, resource);
        break;
      case "AWS::Serverless::StateMachine":
        samEvents(graph, resource);
        break;
      case "AWS::Lambda::Function":
        deadLetter(graph, resource.id, props["DeadLetterConfig"], "TargetArn", "DeadLetterConfig");
        break;
      case "AWS::Lambda::EventInvokeConfig":
        for (const fn of functionsOf(graph, props, "FunctionName")) invokeConfig(graph, fn, props["DestinationConfig"], undefined);
        break;
      case "AWS::Lambda::EventSourceMapping":
        for (const fn of functionsOf(graph, props, "FunctionName")) onFailure(graph, fn, props["DestinationConfig"], "event source mapping");
        break;
      case "AWS::SQS::Queue":
        redrive(graph, resource.id, props, "RedrivePolicy");
        break;
      case "AWS::SNS::Subscription":
        for (const topic of resolveTargets(graph, props["TopicArn"], { container: props, key: "TopicArn" })) redrive(graph, topic, props, "RedrivePolicy");
        break;
      case "AWS::Events::Rule":
        for (const target of items(props["Targets"])) {
          if (isMap(target)) deadLetter(graph, resource.id, target["DeadLetterConfig"], "Arn", "DeadLetterConfig");
        }
        break;
      case "AWS::Scheduler::Schedule": {
        const target = props["Target"];
        if (isMap(target)) deadLetter(graph, resource.id, target["DeadLetterConfig"], "Arn", "DeadLetterConfig");
        break;
      }
    }
  }
}

function functionsOf(graph: GraphBuilder, props: ValueMap, key: string): string[] {
  return resolveTargets(graph, props[key], { container: props, key }).filter((id) => graph.node(id)?.kind === "function" || FUNCTION_TYPES.has(graph.template.resources.get(id)?.type ?? ""));
}

/** `{<key>: target}` -> edge from `from` to the target. */
function deadLetter(graph: GraphBuilder, from: string, config: Value | undefined, key: string, label: string): void {
  for (const branch of branches(config)) {
    if (!isMap(branch) || isIntrinsic(branch) || branch[key] === undefined) continue;
    const at = { container: branch, key };
    for (const to of resolveTargets(graph, branch[key], at)) if (to !== from) graph.addEdge(from, to, "destination", graph.line(at), label);
  }
}

function samInvokeConfig(graph: GraphBuilder, fn: Resource): void {
  const config = fn.properties["EventInvokeConfig"];
  if (isMap(config) && !isIntrinsic(config)) invokeConfig(graph, fn.id, config["DestinationConfig"], fn.id);
}

function invokeConfig(graph: GraphBuilder, fn: string, destinationConfig: Value | undefined, samFunction: string | undefined): void {
  if (!isMap(destinationConfig) || isIntrinsic(destinationConfig)) return;
  for (const when of ["OnSuccess", "OnFailure"]) {
    for (const target of branches(destinationConfig[when])) {
      if (!isMap(target) || isIntrinsic(target)) continue;
      const at = { container: target, key: "Destination" };
      if (target["Destination"] !== undefined) {
        for (const to of resolveTargets(graph, target["Destination"], at)) if (to !== fn) graph.addEdge(fn, to, "destination", graph.line(at), when);
        continue;
      }
      const type = target["Type"];
      if (samFunction !== undefined && (type === "SQS" || type === "SNS")) {
        const id = `${samFunction}EventInvokeConfig${when}${type === "SQS" ? "Queue" : "Topic"}`;
        const line = graph.line({ container: target, key: "Type" });
        graph.addImplicitNode(id, type === "SQS" ? "AWS::SQS::Queue" : "AWS::SNS::Topic", line);
        graph.addEdge(fn, id, "destination", line, when);
      }
    }
  }
}

function onFailure(graph: GraphBuilder, fn: string, destinationConfig: Value | undefined, label: string): void {
  if (!isMap(destinationConfig) || isIntrinsic(destinationConfig)) return;
  const failure = destinationConfig["OnFailure"];
  if (isMap(failure)) deadLetter(graph, fn, failure, "Destination", `OnFailure (${label})`);
}

/** `RedrivePolicy: {deadLetterTargetArn}` as a map or as a JSON string. */
function redrive(graph: GraphBuilder, from: string, props: ValueMap, key: string): void {
  let policy: Value | undefined = props[key];
  if (typeof policy === "string") {
    try {
      policy = parseJsonData(policy) as Value;
    } catch {
      return;
    }
  }
  if (!isMap(policy) || isIntrinsic(policy) || policy["deadLetterTargetArn"] === undefined) return;
  const at = isMap(props[key]) ? { container: policy, key: "deadLetterTargetArn" } : { container: props, key };
  for (const to of resolveTargets(graph, policy["deadLetterTargetArn"], at)) if (to !== from) graph.addEdge(from, to, "destination", graph.line(at), "RedrivePolicy");
}

const RULE_EVENTS: Table<string> = table({
  Schedule: "AWS::Events::Rule",
  EventBridgeRule: "AWS::Events::Rule",
  CloudWatchEvent: "AWS::Events::Rule",
  ScheduleV2: "AWS::Scheduler::Schedule",
});

function samEvents(graph: GraphBuilder, resource: Resource): void {
  const events = resource.properties["Events"];
  if (!isMap(events) || isIntrinsic(events)) return;
  for (const [name, event] of Object.entries(events)) {
    if (!isMap(event)) continue;
    const props = event["Properties"];
    if (!isMap(props) || isIntrinsic(props)) continue;
    const type = typeof event["Type"] === "string" ? event["Type"] : "";
    const ruleType = RULE_EVENTS.get(type);
    if (ruleType) {
      const config = props["DeadLetterConfig"];
      if (!isMap(config) || isIntrinsic(config)) continue;
      const rule = `${resource.id}${name}`;
      const line = graph.line({ container: props, key: "DeadLetterConfig" });
      graph.addImplicitNode(rule, ruleType, graph.line({ container: events, key: name }));
      if (config["Arn"] !== undefined) {
        deadLetter(graph, rule, config, "Arn", "DeadLetterConfig");
      } else if (config["Type"] === "SQS") {
        const queue = typeof config["QueueLogicalId"] === "string" ? config["QueueLogicalId"] : `${rule}Queue`;
        graph.addImplicitNode(queue, "AWS::SQS::Queue", line);
        graph.addEdge(rule, queue, "destination", line, "DeadLetterConfig");
      }
    } else if (resource.type === "AWS::Serverless::Function") {
      onFailure(graph, resource.id, props["DestinationConfig"], `${name} event`);
    }
  }
}
