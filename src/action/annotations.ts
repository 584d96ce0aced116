/**
 * Workflow annotations for a check report (pure): parse errors on their line,
 * and the findings that are NEW in the head (failing at head, not failing as
 * badly at base). GitHub shows at most 10 warning and 10 error annotations
 * per step, so the list is capped and the rest counted.
 */
import type { CheckReport, Fitness, TemplateCheck } from "../fitness/types.js";

export interface Annotation {
  level: "error" | "warning";
  title: string;
  message: string;
  file: string;
  line: number;
  column?: number;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** New findings left out because of the cap. */
  omitted: number;
}

export const DEFAULT_ANNOTATION_CAP = 10;

export function planAnnotations(report: CheckReport, cap = DEFAULT_ANNOTATION_CAP): AnnotationPlan {
  const errors: Annotation[] = [];
  const findings: Annotation[] = [];
  for (const check of report.templates) {
    if (!check.ok && check.error && check.change !== "deleted") {
      errors.push({
        level: "error",
        title: "sam-fitness: template cannot be analysed",
        message: check.error.message,
        file: check.file,
        line: positive(check.error.line),
        column: positive(check.error.column),
      });
    }
    findings.push(...newFindings(check));
  }
  const kept = findings.slice(0, Math.max(0, cap));
  return { annotations: [...errors.slice(0, Math.max(1, cap)), ...kept], omitted: findings.length - kept.length };
}

/** Failing results at head that did not fail (or failed less) at base. */
export function newFindings(check: TemplateCheck): Annotation[] {
  if (!check.fitness) return [];
  const before = failingScores(check.base);
  const out: Annotation[] = [];
  for (const rule of check.fitness.rules) {
    for (const result of rule.results) {
      if (result.status !== "fail") continue;
      const previous = before.get(key(rule.id, result.resource));
      if (previous !== undefined && previous <= result.score) continue;
      const message = /[.!?]$/.test(result.message) ? result.message : `${result.message}.`;
      const fix = result.fix ? ` Fix: ${result.fix}` : "";
      out.push({
        level: "warning",
        title: `sam-fitness: ${rule.id}`,
        message: `${result.resource}: ${message}${fix}`,
        file: check.file,
        line: positive(result.line),
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

function failingScores(base: Fitness | null): Map<string, number> {
  const scores = new Map<string, number>();
  for (const rule of base?.rules ?? []) {
    for (const result of rule.results) {
      if (result.status === "fail") scores.set(key(rule.id, result.resource), result.score);
    }
  }
  return scores;
}

const key = (rule: string, resource: string) => `${rule}\u0000${resource}`;

function positive(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 1 ? Math.floor(value) : 1;
}
