import { collectReferences, isMap } from "../../template/intrinsics.js";
import type { Template, Value } from "../../template/types.js";

const DEAD_LETTER_KEY = /dead.?letter|onfailure|redrive/i;

/**
 * Logical IDs used as dead-letter targets anywhere in the template: under
 * keys such as `RedrivePolicy.deadLetterTargetArn`, `DeadLetterQueue`,
 * `DeadLetterConfig`, `OnFailure` (queues, functions, rules, event source
 * mappings, subscriptions, SAM events alike).
 */
export function deadLetterTargets(template: Template): Set<string> {
  const out = new Set<string>();
  for (const resource of template.resources.values()) {
    const stack: Value[] = [resource.properties];
    let budget = 10_000;
    while (stack.length > 0 && budget-- > 0) {
      const value = stack.pop();
      if (Array.isArray(value)) {
        stack.push(...value);
      } else if (isMap(value)) {
        for (const [key, child] of Object.entries(value)) {
          if (DEAD_LETTER_KEY.test(key)) {
            for (const ref of collectReferences(child, value, key)) if (ref.target !== resource.id) out.add(ref.target);
          } else {
            stack.push(child);
          }
        }
      }
    }
  }
  return out;
}

/** Queue names that say they are dead-letter queues. */
export function looksLikeDeadLetterQueue(id: string): boolean {
  return /dlq|dead.?letter/i.test(id);
}
