import type { Finding, Rule } from "../src/fitness/types.js";
import { checkProperty, resourcesOf } from "../src/fitness/kit/findings.js";
import { deadLetterTargets, looksLikeDeadLetterQueue } from "../src/fitness/kit/dead-letters.js";
import { get, isSet } from "../src/fitness/kit/values.js";

const TYPES = ["AWS::SQS::Queue"];

export const sqsQueueDlqCheck: Rule = {
  id: "sqs-queue-dlq-check",
  title: "SQS queue has a dead-letter queue",
  category: "reliability",
  weight: 2,
  appliesTo: TYPES,
  configRuleIdentifier: "SQS_QUEUE_DLQ_CHECK",
  docs:
    "Queues move poison messages aside: `RedrivePolicy: { deadLetterTargetArn, maxReceiveCount }`. Queues that are " +
    "themselves dead-letter targets (of a queue, a function, a rule, an event source mapping) or are named as such " +
    "(`...Dlq`, `...DeadLetter...`) are not judged.",
  evaluate({ template }) {
    const dlqs = deadLetterTargets(template);
    const out: Finding[] = [];
    for (const resource of resourcesOf(template, TYPES)) {
      if (dlqs.has(resource.id) || looksLikeDeadLetterQueue(resource.id)) continue;
      out.push(checkProperty(template, {
        resource, path: ["RedrivePolicy"], judge: (v) => (isSet(get(v, "deadLetterTargetArn")) ? 1 : 0),
        pass: "has a dead-letter queue", fail: "no dead-letter queue (RedrivePolicy)",
        fix: "Add `RedrivePolicy: { deadLetterTargetArn: !GetAtt MyDlq.Arn, maxReceiveCount: 5 }`.",
      }));
    }
    return out;
  },
};
