import { isMap } from "../src/template/intrinsics.js";
import type { Finding, Rule } from "../src/fitness/types.js";
import { finding, lineAt, lineOf, resourcesOf } from "../src/fitness/kit/findings.js";
import { samEvents } from "../src/fitness/kit/functions.js";
import { asList, get, isSet } from "../src/fitness/kit/values.js";

const RULE_EVENTS = new Set(["Schedule", "CloudWatchEvent", "EventBridgeRule"]);

export const eventbridgeRuleTargetDlq: Rule = {
  id: "eventbridge-rule-target-dlq",
  title: "EventBridge rule targets have a DLQ",
  category: "reliability",
  weight: 1,
  appliesTo: ["AWS::Events::Rule", "AWS::Serverless::Function", "AWS::Serverless::StateMachine"],
  docs:
    "Events that EventBridge cannot deliver are kept: every target of an `AWS::Events::Rule` has `DeadLetterConfig.Arn` " +
    "(credit = share of targets). SAM `Schedule`, `CloudWatchEvent` and `EventBridgeRule` events create a rule named " +
    "`<Function><Event>`: they pass with `DeadLetterConfig` (`Type: SQS` or `Arn`) on the event.",
  evaluate({ template }) {
    const out: Finding[] = [];
    for (const rule of resourcesOf(template, ["AWS::Events::Rule"])) {
      const targets = asList(rule.properties["Targets"]).filter(isMap);
      if (targets.length === 0) continue;
      const kept = targets.filter((t) => isSet(get(t, "DeadLetterConfig", "Arn"))).length;
      const open = targets.find((t) => !isSet(get(t, "DeadLetterConfig", "Arn")));
      out.push(finding(rule.id, kept / targets.length, open ? lineOf(open, "Id", lineAt(rule, ["Targets"])) : lineAt(rule, ["Targets"]),
        kept === targets.length ? "every target has a DLQ" : `${targets.length - kept} of ${targets.length} targets have no DLQ`,
        "Add `DeadLetterConfig: { Arn: !GetAtt RuleDlq.Arn }` to each target (the queue policy must allow events.amazonaws.com)."));
    }
    for (const owner of resourcesOf(template, ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"])) {
      for (const [name, event] of samEvents(owner)) {
        const type = get(event, "Type");
        if (typeof type !== "string" || !RULE_EVENTS.has(type)) continue;
        const dlq = get(event, "Properties", "DeadLetterConfig");
        const line = lineOf(event, "Type", owner.position.line);
        out.push(finding(`${owner.id}${name}`, isMap(dlq) ? 1 : 0, line,
          isMap(dlq) ? `${type} event ${name} has a DLQ` : `${type} event ${name} has no DLQ`,
          "Add `DeadLetterConfig: { Type: SQS }` to the event's Properties."));
      }
    }
    return out;
  },
};
