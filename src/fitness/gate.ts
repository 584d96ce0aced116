import type { Delta, Fitness, Gate } from "./types.js";
import { aggregate, counts } from "./aggregate.js";

export interface GateOptions {
  threshold: number | null;
  maxDecrease: number | null;
}

/**
 * The verdict for one template: below `threshold`, or dropped by more than
 * `maxDecrease` points against base, fails. A deleted template (no head)
 * passes; without a base there is no drop to judge.
 */
export function applyGate(head: Fitness | null, delta: Delta | null, options: GateOptions): Gate {
  const failures: string[] = [];
  if (head && options.threshold !== null && head.score < options.threshold) {
    failures.push(
      `Fitness ${fmt(head.score)} is below the threshold ${fmt(options.threshold)} (short by ${fmt(options.threshold - head.score)})${costliest(head)}.`,
    );
  }
  if (head && delta && options.maxDecrease !== null && -delta.score > options.maxDecrease) {
    const base = head.score - delta.score;
    failures.push(
      `Fitness dropped by ${fmt(-delta.score)} points (${fmt(base)} -> ${fmt(head.score)}), more than the allowed ${fmt(options.maxDecrease)}${movers(delta)}.`,
    );
  }
  return { passed: failures.length === 0, threshold: options.threshold, maxDecrease: options.maxDecrease, failures };
}

/** The rules losing the most points on head, and the complexity penalty when it matters. */
function costliest(head: Fitness): string {
  const { total } = aggregate(head.rules);
  const losses: [string, number][] = [];
  for (const o of head.rules) {
    if (!counts(o) || total <= 0) continue;
    const lost = (100 * o.weight * (1 - o.passRate)) / total;
    if (lost > 0.005) losses.push([o.id, lost]);
  }
  if (head.complexity.penalty > 0.005) losses.push(["complexity", head.complexity.penalty]);
  losses.sort((a, b) => b[1] - a[1]);
  return losses.length === 0 ? "" : `; most points lost to: ${losses.slice(0, 3).map(([id, v]) => `${id} (-${fmt(v)})`).join(", ")}`;
}

/** The contributions that pulled the score down the most. */
function movers(delta: Delta): string {
  const down: [string, number][] = Object.entries(delta.byRule).filter(([, v]) => v < -0.005);
  if (delta.complexity < -0.005) down.push(["complexity", delta.complexity]);
  if ((delta.baseline ?? 0) < -0.005) down.push(["first applicable rules", delta.baseline as number]);
  down.sort((a, b) => a[1] - b[1]);
  return down.length === 0 ? "" : `; biggest drops: ${down.slice(0, 3).map(([id, v]) => `${id} (${fmt(v)})`).join(", ")}`;
}

function fmt(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}
