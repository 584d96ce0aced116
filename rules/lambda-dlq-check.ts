import type { Finding, Rule } from "../src/fitness/types.js";
import type { Resource } from "../src/template/types.js";
import { finding, lineAt } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, asyncTriggeredFunctions, eventInvokeConfigs, functionsOf } from "../src/fitness/kit/functions.js";
import { get, isSet } from "../src/fitness/kit/values.js";

export const lambdaDlqCheck: Rule = {
  id: "lambda-dlq-check",
  title: "Async Lambda has a DLQ or failure destination",
  category: "reliability",
  weight: 2,
  appliesTo: FUNCTION_TYPES,
  configRuleIdentifier: "LAMBDA_DLQ_CHECK",
  docs:
    "Functions invoked asynchronously (by S3, SNS, EventBridge, schedules, IoT, CloudWatch Logs) keep failed events: " +
    "`DeadLetterQueue` (SAM) / `DeadLetterConfig.TargetArn`, or an on-failure destination (`EventInvokeConfig.DestinationConfig.OnFailure` " +
    "in SAM, or an `AWS::Lambda::EventInvokeConfig`). Functions only invoked synchronously or by polling (API, SQS, streams) are not judged.",
  evaluate(context) {
    const asyncFns = asyncTriggeredFunctions(context);
    const invokeConfigs = eventInvokeConfigs(context.template);
    const out: Finding[] = [];
    for (const resource of functionsOf(context.template)) {
      const via = asyncFns.get(resource.id);
      if (via === undefined) continue;
      const kept = failureTarget(resource, invokeConfigs.get(resource.id));
      out.push(kept
        ? finding(resource.id, 1, kept.line, `failed async events go to ${kept.what}`, "")
        : finding(resource.id, 0, resource.position.line, `invoked asynchronously by ${via} with no DLQ or on-failure destination`,
            resource.type === "AWS::Serverless::Function"
              ? "Add `DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt Dlq.Arn }` or `EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: SQS, Destination: ... } } }`."
              : "Add `DeadLetterConfig: { TargetArn: !GetAtt Dlq.Arn }` or an `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure`."));
    }
    return out;
  },
};

function failureTarget(fn: Resource, invokeConfig: Resource | undefined): { line: number; what: string } | undefined {
  const p = fn.properties;
  if (isSet(get(p, "DeadLetterQueue", "TargetArn"))) return { line: lineAt(fn, ["DeadLetterQueue"]), what: "a dead-letter queue" };
  if (isSet(get(p, "DeadLetterConfig", "TargetArn"))) return { line: lineAt(fn, ["DeadLetterConfig"]), what: "a dead-letter queue" };
  if (isSet(get(p, "EventInvokeConfig", "DestinationConfig", "OnFailure"))) {
    return { line: lineAt(fn, ["EventInvokeConfig", "DestinationConfig", "OnFailure"]), what: "an on-failure destination" };
  }
  if (invokeConfig && isSet(get(invokeConfig.properties, "DestinationConfig", "OnFailure", "Destination"))) {
    return { line: invokeConfig.position.line, what: `the on-failure destination of ${invokeConfig.id}` };
  }
  return undefined;
}
