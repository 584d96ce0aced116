/**
 * The headline numbers for the action's outputs (pure). With several
 * templates, `score` is the mean head score over the templates that have one,
 * `base-score` the mean base score over those that have one, and `delta` the
 * mean score change over the templates scored on both sides (so an added or
 * deleted template does not count as a change of the others).
 */
import type { CheckReport } from "../fitness/types.js";

export interface Headline {
  score: number | null;
  baseScore: number | null;
  delta: number | null;
}

export function headline(report: CheckReport): Headline {
  const heads = report.templates.flatMap((t) => (t.fitness ? [t.fitness.score] : []));
  const bases = report.templates.flatMap((t) => (t.base ? [t.base.score] : []));
  const score = mean(heads);
  const baseScore = mean(bases);
  const deltas = report.templates.flatMap((t) => (t.fitness && t.base ? [t.fitness.score - t.base.score] : []));
  return { score, baseScore, delta: mean(deltas) };
}

function mean(values: number[]): number | null {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? null : round(finite.reduce((a, b) => a + b, 0) / finite.length);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Output text: numbers with one decimal, missing values as the empty string. */
export function formatNumber(value: number | null): string {
  return value === null ? "" : value.toFixed(1);
}
