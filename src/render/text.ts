/**
 * Plain terminal output for `check --format text`: per template the score,
 * the change against base and the gate, then the failing findings as
 * `file:line: rule-id: message` (the format editors and CI logs link).
 */
import type { CheckReport, Gate, TemplateCheck } from "../fitness/types.js";
import { analyseTemplate } from "./analysis.js";
import { oneLine } from "./escape.js";
import { formatScore, formatSignedAscii } from "./format.js";

/** Terminal-safe single line: no control characters or escape sequences from the template. */
function clean(text: string, max = 300): string {
  return oneLine(text, max).replace(/[\u0080-\u009f]/g, "");
}

function gateText(gate: Gate): string {
  const limits: string[] = [];
  if (typeof gate.threshold === "number") limits.push(`minimum ${formatScore(gate.threshold)}`);
  if (typeof gate.maxDecrease === "number") limits.push(`maximum decrease ${formatScore(gate.maxDecrease)}`);
  const configured = limits.length ? ` (${limits.join(", ")})` : "";
  return `gate ${gate.passed ? "passed" : "FAILED"}${configured}`;
}

function summaryLine(t: TemplateCheck): string {
  const file = clean(t.file, 200);
  if (!t.ok) return `${file}: not analysed${t.error ? `: line ${t.error.line}: ${clean(t.error.message)}` : ""}`;
  if (!t.fitness) return `${file}: deleted${t.base ? ` (was ${formatScore(t.base.score)})` : ""}`;
  const parts = [`fitness ${formatScore(t.fitness.score)}`];
  if (t.delta) parts.push(`${formatSignedAscii(t.delta.score)} vs base`);
  else if (t.change === "added") parts.push("new template");
  parts.push(gateText(t.gate));
  return `${file}: ${parts.join(", ")}`;
}

export function renderText(report: CheckReport): string {
  const lines: string[] = [];
  for (const t of report.templates) {
    lines.push(summaryLine(t));
    const analysis = analyseTemplate(t);
    const failing = [...analysis.newFindings, ...analysis.existingFindings].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
    const fresh = new Set(analysis.newFindings);
    for (const f of failing) {
      const mark = t.base && fresh.has(f) ? " (new)" : "";
      lines.push(`${clean(t.file, 200)}:${f.line}: ${clean(f.rule, 100)}: ${clean(f.message)} [${clean(f.resource, 120)}]${mark}`);
    }
    for (const failure of t.gate.failures ?? []) lines.push(`  gate: ${clean(String(failure))}`);
  }
  if (report.templates.length === 0) lines.push("No templates checked.");
  lines.push(`Overall: ${gateText(report.gate)} (${report.templates.length} template${report.templates.length === 1 ? "" : "s"})`);
  return lines.join("\n") + "\n";
}
