/**
 * Workflow annotations for a check report (pure): parse errors on their line,
 * and the findings that are NEW in the head (failing at head, not failing as
 * badly at base). GitHub shows at most 10 warning and 10 error annotations
 * per step, so the list is capped and the rest counted.
 */
import type { CheckReport, TemplateCheck } from "../fitness/types.js";
import { analyseTemplate } from "../render/analysis.js";

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

/**
 * The change's findings (new and worsened, as the report model classifies
 * them: see render/analysis.ts), one annotation each.
 */
export function newFindings(check: TemplateCheck): Annotation[] {
  if (!check.fitness) return [];
  const out: Annotation[] = [];
  for (const f of analyseTemplate(check).newFindings) {
    const message = /[.!?]$/.test(f.message) ? f.message : `${f.message}.`;
    const fix = f.fix ? ` Fix: ${f.fix}` : "";
    const worse = f.worsened ? " (Worse than in base.)" : "";
    out.push({ level: "warning", title: `sam-fitness: ${f.rule}`, message: `${f.resource}: ${message}${fix}${worse}`, file: check.file, line: positive(f.line) });
  }
  return out.sort((a, b) => a.line - b.line);
}

function positive(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 1 ? Math.floor(value) : 1;
}
