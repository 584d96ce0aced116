/**
 * Plain terminal output for `check --format text`: per template the score,
 * the change against base and the gate, then the failing findings as
 * `file:line: rule-id: message` (the format editors and CI logs link).
 */
import type { CheckReport, Gate, TemplateCheck } from "../fitness/types.js";
import { analyseTemplate } from "./analysis.js";
import { oneLine } from "./escape.js";
import { formatGain, formatScore, formatSignedAscii } from "./format.js";

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

/** How many contributions and suggestions the terminal output lists. */
const TOP = 5;

/** The largest contributions to the delta: per rule (with the resources that moved) and the complexity term. */
function whyItMoved(t: TemplateCheck, analysis: ReturnType<typeof analyseTemplate>): string[] {
  if (!t.delta) return [];
  const parts: { points: number; text: string }[] = Object.entries(t.delta.byRule)
    .filter(([, points]) => Math.abs(points) >= 0.05)
    .map(([rule, points]) => {
      const moved = (analysis.movedBy.get(rule) ?? []).slice(0, 3).map((m) => `${clean(m.resource, 80)} ${m.what}`);
      return { points, text: `${clean(rule, 100)}${moved.length ? ` (${moved.join(", ")})` : ""}` };
    });
  if (Math.abs(t.delta.complexity) >= 0.05) parts.push({ points: t.delta.complexity, text: "complexity" });
  if (parts.length === 0) return [];
  parts.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const shown = parts.slice(0, TOP).map((p) => `${formatSignedAscii(p.points)} ${p.text}`);
  return [`  why it moved: ${shown.join("; ")}${parts.length > TOP ? `; and ${parts.length - TOP} more` : ""}`];
}

/** The fixes that would raise the score most, with their exact gain. */
function suggestions(t: TemplateCheck): string[] {
  const top = (t.fitness?.suggestions ?? []).slice(0, TOP);
  if (top.length === 0) return [];
  return [
    "  would raise the score most:",
    ...top.map((s) => `    ${formatGain(s.gain, 1)} ${clean(s.rule, 100)} on ${clean(s.resource, 120)} (${clean(t.file, 200)}:${s.line})`),
  ];
}

export function renderText(report: CheckReport): string {
  const lines: string[] = [];
  for (const t of report.templates) {
    lines.push(summaryLine(t));
    const analysis = analyseTemplate(t);
    const failing = [...analysis.newFindings, ...analysis.existingFindings].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
    const fresh = new Set(analysis.newFindings);
    for (const f of failing) {
      const mark = t.base && fresh.has(f) ? (f.worsened ? " (worsened)" : " (new)") : "";
      lines.push(`${clean(t.file, 200)}:${f.line}: ${clean(f.rule, 100)}: ${clean(f.message)} [${clean(f.resource, 120)}]${mark}`);
    }
    for (const rule of t.fitness?.rules ?? []) {
      for (const r of rule.results) {
        if (r.status !== "suppressed") continue;
        lines.push(`${clean(t.file, 200)}:${r.line}: ${clean(rule.id, 100)}: suppressed (${clean(r.reason ?? "no reason given", 200)}) [${clean(r.resource, 120)}]`);
      }
    }
    for (const note of t.fitness?.notes ?? []) lines.push(`  note: ${clean(String(note))}`);
    lines.push(...whyItMoved(t, analysis), ...suggestions(t));
    for (const failure of t.gate.failures ?? []) lines.push(`  gate: ${clean(String(failure))}`);
  }
  if (report.templates.length === 0) lines.push("No templates checked.");
  lines.push(`Overall: ${gateText(report.gate)} (${report.templates.length} template${report.templates.length === 1 ? "" : "s"})`);
  return lines.join("\n") + "\n";
}
