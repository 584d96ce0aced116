/**
 * The pieces of the markdown report for one template: headline, gate, why the
 * score moved, the rules table, findings, suggestions and the diagram. Every
 * piece of template-derived text goes through escapeMarkdown.
 */
import type { Complexity, Gate, Suggestion, TemplateCheck } from "../fitness/types.js";
import type { Diagnostic } from "../template/types.js";
import type { Move, ReportFinding, RuleRow, TemplateAnalysis } from "./analysis.js";
import { escapeMarkdown, escapeMarkdownCode, safeUrl } from "./escape.js";
import { arrowFor, formatGain, formatRate, formatScore, formatSigned } from "./format.js";
import { renderMermaid } from "./mermaid.js";

/**
 * Longest list (findings, contributions) in a full report: beyond it a reader
 * learns nothing more. A lower cap means the report is being shortened.
 */
export const FULL_LIST_CAP = 50;

export type LinkFn = (file: string, line: number) => string | null;

export interface SectionContext {
  link: LinkFn | undefined;
  baseLabel: string;
  /** Cap on list lengths (findings, suggestions, contributions); Infinity for no cap. */
  listCap: number;
}

/** `<code>` with escaped content: monospace without a backtick code span. */
export function code(text: string): string {
  return `<code>${escapeMarkdown(text, 120)}</code>`;
}

/** "file:line", linked when a link function gives a URL. */
export function location(ctx: SectionContext, file: string, line: number): string {
  const label = escapeMarkdown(`${file}:${line}`, 200);
  let url: string | null = null;
  try {
    url = safeUrl(ctx.link?.(file, line) ?? null);
  } catch {
    url = null;
  }
  return url ? `[${label}](${url})` : label;
}

/** "Fitness 78.4 (▲ +6.1) vs main", or what stands in for it when there is nothing to compare. */
export function headline(check: TemplateCheck, baseLabel: string): string {
  const label = escapeMarkdown(baseLabel, 80);
  if (!check.ok) return "Fitness not computed: the template could not be analysed";
  if (check.change === "deleted" || check.fitness === null) {
    return check.base ? `Template deleted (was ${formatScore(check.base.score)} on ${label})` : "Template deleted";
  }
  const score = `Fitness ${formatScore(check.fitness.score)}`;
  if (check.delta) return `${score} (${arrowFor(check.delta.score)} ${formatSigned(check.delta.score)}) vs ${label}`;
  if (check.change === "added") return `${score} (new template, not on ${label})`;
  if (check.baseError) return `${score} (${label} could not be analysed)`;
  return score;
}

/** The gate verdict line, or null when no gate is configured and nothing failed. */
export function gateLine(gate: Gate): string | null {
  const limits: string[] = [];
  if (typeof gate.threshold === "number") limits.push(`minimum score ${formatScore(gate.threshold)}`);
  if (typeof gate.maxDecrease === "number") limits.push(`maximum decrease ${formatScore(gate.maxDecrease)}`);
  const failures = Array.isArray(gate.failures) ? gate.failures : [];
  if (limits.length === 0 && failures.length === 0) return null;
  const configured = limits.length ? ` (${limits.join(", ")})` : "";
  if (gate.passed) return `**Gate: passed**${configured}`;
  const why = failures
    .slice(0, 10)
    .map((f) => escapeMarkdown(String(f), 300))
    .concat(failures.length > 10 ? [`and ${failures.length - 10} more`] : [])
    .join("; ");
  return `**Gate: failed**${configured}${why ? `: ${why}` : ""}`;
}

function capList<T>(items: readonly T[], cap: number): { shown: readonly T[]; hidden: number } {
  if (items.length <= cap) return { shown: items, hidden: 0 };
  return { shown: items.slice(0, cap), hidden: items.length - cap };
}

function moreLine(hidden: number, what: string): string[] {
  return hidden > 0 ? [`- … and ${hidden} more ${what} (run <code>sam-fitness check --format text</code> for all)`] : [];
}

function complexityLine(head: Complexity | undefined, base: Complexity | undefined, contribution: number): string {
  const parts: string[] = [];
  if (head && base) {
    parts.push(`complexity ${formatScore(base.value)} → ${formatScore(head.value)}`);
    const inputs = head.inputs && typeof head.inputs === "object" ? head.inputs : {};
    const baseInputs = base.inputs && typeof base.inputs === "object" ? base.inputs : {};
    const moved = Object.keys(inputs)
      .filter((k) => inputs[k] !== baseInputs[k])
      .slice(0, 6)
      .map((k) => `${escapeMarkdown(k, 40)} ${baseInputs[k] ?? 0} → ${inputs[k]}`);
    if (moved.length) parts.push(moved.join(", "));
    parts.push(`penalty ${formatScore(base.penalty)} → ${formatScore(head.penalty)}`);
  }
  return `- **${formatSigned(contribution)}** complexity term${parts.length ? `: ${parts.join("; ")}` : ""}`;
}

function moveText(m: Move, file: string, ctx: SectionContext): string {
  const name = `**${escapeMarkdown(m.resource, 120)}**`;
  switch (m.what) {
    case "new":
      return `new finding on ${name} (${location(ctx, file, m.line)})`;
    case "worsened":
      return `finding worsened on ${name} (${location(ctx, file, m.line)})`;
    case "fixed":
      return `fixed on ${name} (${location(ctx, file, m.line)})`;
    case "changed":
      return `partial credit changed on ${name} (${location(ctx, file, m.line)})`;
    case "added":
      return `${name} added, passing (${location(ctx, file, m.line)})`;
    case "removed":
      return `${name} no longer judged`;
  }
}

/** "Why it moved": contributions of each rule and of complexity, largest first. */
export function whyItMoved(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext): string[] {
  const delta = check.delta;
  if (!delta) return [];
  type Item = { size: number; line: string };
  const items: Item[] = [];
  for (const row of analysis.rules) {
    const c = row.contribution;
    if (c === null || Math.abs(c) < 0.0005) continue;
    const moved = analysis.movedBy.get(row.id) ?? [];
    const { shown, hidden } = capList(moved, 5);
    const where = shown.map((m) => moveText(m, check.file, ctx));
    if (hidden) where.push(`${hidden} more`);
    const detail = where.length ? `: ${where.join(", ")}` : ": results unchanged, its share of the weight moved (rules started or stopped applying)";
    items.push({ size: Math.abs(c), line: `- **${formatSigned(c)}** ${code(row.id)} ${escapeMarkdown(row.title, 120)}${detail}` });
  }
  if (typeof delta.complexity === "number" && Math.abs(delta.complexity) >= 0.0005) {
    items.push({ size: Math.abs(delta.complexity), line: complexityLine(check.fitness?.complexity, check.base?.complexity, delta.complexity) });
  }
  if (items.length === 0) return ["#### Why it moved", "", "No rule result and no complexity figure changed."];
  items.sort((a, b) => b.size - a.size);
  const { shown, hidden } = capList(items, ctx.listCap);
  return ["#### Why it moved", "", ...shown.map((i) => i.line), ...moreLine(hidden, "contributions")];
}

function ruleRow(r: RuleRow, hasBase: boolean): string {
  const name = `${code(r.id)} ${escapeMarkdown(r.title, 100)}`;
  const weight = formatScore(r.weight).replace(/\.0$/, "");
  if (hasBase) return `| ${name} | ${weight} | ${formatRate(r.basePassRate)} → ${formatRate(r.headPassRate)} | ${r.newFindings || ""} | ${r.fixedFindings || ""} |`;
  return `| ${name} | ${weight} | ${formatRate(r.headPassRate)} | ${r.newFindings || ""} |`;
}

function ruleTableHead(hasBase: boolean, baseLabel: string): string[] {
  return hasBase
    ? [`| Rule | Weight | Pass rate (${escapeMarkdown(baseLabel, 40)} → head) | New | Fixed |`, "| --- | ---: | :---: | ---: | ---: |"]
    : ["| Rule | Weight | Pass rate | Findings |", "| --- | ---: | :---: | ---: |"];
}

/**
 * Table of rules: pass rate base → head, weight, new and fixed findings.
 * With a base, the rules the change moved are listed first and the others go
 * in a collapsed table (left out when lists are capped).
 */
export function rulesTable(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext): string[] {
  const hasBase = check.base !== null;
  const rows = analysis.rules
    .filter((r) => r.headPassRate !== null || r.basePassRate !== null)
    // Weakest pass rates first, then by id.
    .sort((a, b) => (a.headPassRate ?? 2) - (b.headPassRate ?? 2) || a.id.localeCompare(b.id));
  if (rows.length === 0) return [];
  if (!hasBase) return ["#### Rules", "", ...ruleTableHead(false, ctx.baseLabel), ...rows.map((r) => ruleRow(r, false))];
  const moved = (r: RuleRow): boolean =>
    r.newFindings > 0 || r.fixedFindings > 0 || (r.contribution !== null && Math.abs(r.contribution) >= 0.0005);
  const changed = rows.filter(moved);
  const same = rows.filter((r) => !moved(r));
  const lines = ["#### Rules", ""];
  if (changed.length) lines.push(...ruleTableHead(true, ctx.baseLabel), ...changed.map((r) => ruleRow(r, true)));
  else lines.push("No rule's results changed.");
  if (same.length && ctx.listCap < FULL_LIST_CAP) {
    lines.push("", `_${same.length} rules whose results did not change are not listed (size limit)._`);
  } else if (same.length) {
    lines.push("", "<details>", `<summary>Rules whose results did not change (${same.length})</summary>`, "", ...ruleTableHead(true, ctx.baseLabel), ...same.map((r) => ruleRow(r, true)), "", "</details>");
  }
  return lines;
}

function findingLine(f: ReportFinding, file: string, ctx: SectionContext): string {
  const credit = f.score > 0 && f.score < 1 ? ` (partial credit ${Math.round(f.score * 100)}%)` : "";
  const fix = f.fix ? `${/[.!?]$/.test(f.message.trim()) ? "" : "."} Fix: ${escapeMarkdownCode(f.fix, 300)}` : "";
  const worse = f.worsened ? " _(worse than in base)_" : "";
  return `- ${code(f.rule)} **${escapeMarkdown(f.resource, 120)}** (${location(ctx, file, f.line)}): ${escapeMarkdownCode(f.message, 300)}${credit}${fix}${worse}`;
}

export function newFindings(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext): string[] {
  const list = analysis.newFindings;
  // A template the change adds has only new findings; without any base they are just findings.
  const title = check.base || check.change === "added" ? "New findings" : "Findings";
  if (list.length === 0) return check.fitness ? [`#### ${title}`, "", check.base ? "None: this change introduces no failing result." : "None."] : [];
  const { shown, hidden } = capList(list, ctx.listCap);
  return [`#### ${title} (${list.length})`, "", ...shown.map((f) => findingLine(f, check.file, ctx)), ...moreLine(hidden, "findings")];
}

export function fixedFindings(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext): string[] {
  const list = analysis.fixedFindings;
  if (list.length === 0) return [];
  const { shown, hidden } = capList(list, ctx.listCap);
  const line = (f: ReportFinding): string => `- ${code(f.rule)} **${escapeMarkdown(f.resource, 120)}** (${location(ctx, check.file, f.line)})`;
  return [`#### Fixed (${list.length})`, "", ...shown.map(line), ...moreLine(hidden, "fixed findings")];
}

/** Pre-existing findings, collapsed; `omitted` replaces them with a one-line note. */
export function existingFindings(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext, omitted: boolean): string[] {
  const list = analysis.existingFindings;
  if (list.length === 0) return [];
  if (omitted) return [`_${list.length} pre-existing findings not shown: the comment would exceed GitHub's size limit._`];
  const { shown, hidden } = capList(list, ctx.listCap);
  return [
    "<details>",
    `<summary>Pre-existing findings (${list.length})</summary>`,
    "",
    ...shown.map((f) => findingLine(f, check.file, ctx)),
    ...moreLine(hidden, "findings"),
    "",
    "</details>",
  ];
}

/** Results the template suppresses (Metadata, with a reason): not scored, but shown, collapsed. */
export function suppressedFindings(check: TemplateCheck, ctx: SectionContext, omitted: boolean): string[] {
  const rules = Array.isArray(check.fitness?.rules) ? check.fitness.rules : [];
  const list = rules.flatMap((rule) => rule.results.filter((r) => r.status === "suppressed").map((r) => ({ rule: rule.id, result: r })));
  if (list.length === 0) return [];
  if (omitted) return [`_${list.length} suppressed findings not shown: the comment would exceed GitHub's size limit._`];
  const { shown, hidden } = capList(list, ctx.listCap);
  const line = ({ rule, result }: (typeof list)[number]): string =>
    `- ${code(rule)} **${escapeMarkdown(result.resource, 120)}** (${location(ctx, check.file, result.line)}): ${escapeMarkdown(result.reason ?? "no reason given", 300)}`;
  return ["<details>", `<summary>Suppressed in the template (${list.length}, not scored)</summary>`, "", ...shown.map(line), ...moreLine(hidden, "suppressed findings"), "", "</details>"];
}

export function suggestions(check: TemplateCheck, ctx: SectionContext): string[] {
  const all: Suggestion[] = Array.isArray(check.fitness?.suggestions) ? check.fitness.suggestions : [];
  const list = all.filter((s) => s && typeof s.gain === "number" && s.gain > 0).sort((a, b) => b.gain - a.gain);
  if (list.length === 0) return [];
  const shown = list.slice(0, 5);
  const line = (s: Suggestion): string => {
    const fix = s.fix ? `: ${escapeMarkdownCode(s.fix, 300)}` : "";
    return `- **${formatGain(s.gain)}** fix ${code(s.rule)} on **${escapeMarkdown(s.resource, 120)}** (${location(ctx, check.file, s.line)})${fix}`;
  };
  return ["#### Top suggestions", "", ...shown.map(line)];
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The diagram, collapsed in `<details>` when large; `omitted` replaces it with a note. */
export function diagram(check: TemplateCheck, analysis: TemplateAnalysis, omitted: boolean): string[] {
  if (!check.graph) return [];
  const nodes = Array.isArray(check.graph.nodes) ? check.graph.nodes.length : 0;
  const edges = Array.isArray(check.graph.edges) ? check.graph.edges.length : 0;
  const size = `${count(nodes, "resource")}, ${count(edges, "connection")}`;
  if (omitted) return [`_Architecture diagram (${size}) not shown: the comment would exceed GitHub's size limit._`];
  const { text, reduced } = renderMermaid(check.graph, { base: check.baseGraph, changed: analysis.changedResources });
  const block = ["```mermaid", text.trimEnd(), "```"];
  const note = reduced ? ["", `_${escapeMarkdown(reduced, 400)}_`] : [];
  const summary = `Architecture (${size}${check.baseGraph ? ", changes highlighted" : ""})`;
  if (nodes > 25 || reduced) return ["<details>", `<summary>${summary}</summary>`, "", ...block, ...note, "", "</details>"];
  return [`#### ${summary}`, "", ...block, ...note];
}

/** Longest list of template problems shown; the rest are counted. */
export const TEMPLATE_PROBLEMS_CAP = 10;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function isDiagnostic(d: unknown): d is Diagnostic {
  return typeof d === "object" && d !== null && typeof (d as Diagnostic).message === "string";
}

function problemLine(d: Diagnostic, file: string, ctx: SectionContext): string {
  const severity = d.severity === "error" ? "Error" : "Warning";
  const line = Number.isFinite(d.line) ? Math.max(1, Math.trunc(d.line)) : 1;
  const column = Number.isFinite(d.column) ? Math.max(1, Math.trunc(d.column)) : 1;
  return `- **${severity}** at line ${line}: ${escapeMarkdownCode(d.message, 300)} (column ${column}; ${location(ctx, file, line)})`;
}

/**
 * "Template problems": the parse error of an unanalysable template and the
 * parser's diagnostics, errors first, at most TEMPLATE_PROBLEMS_CAP of them.
 * `omitWarnings` (a shortened report) keeps the errors and counts the warnings.
 */
export function templateProblems(check: TemplateCheck, ctx: SectionContext, omitWarnings: boolean): string[] {
  const all: Diagnostic[] = [];
  if (isDiagnostic(check.error)) all.push({ ...check.error, severity: "error" });
  for (const d of Array.isArray(check.diagnostics) ? check.diagnostics : []) if (isDiagnostic(d)) all.push(d);
  const errors = all.filter((d) => d.severity === "error");
  const warnings = all.filter((d) => d.severity !== "error");
  if (all.length === 0) return [];
  const counts = [errors.length ? plural(errors.length, "error") : "", warnings.length ? plural(warnings.length, "warning") : ""].filter(Boolean).join(", ");
  const list = omitWarnings ? errors : [...errors, ...warnings];
  const { shown, hidden } = capList(list, TEMPLATE_PROBLEMS_CAP);
  const lines = [`#### Template problems (${counts})`, "", ...shown.map((d) => problemLine(d, check.file, ctx))];
  if (hidden > 0) lines.push(`- … and ${hidden} more (all of them are in <code>sam-fitness check --format json</code>)`);
  if (omitWarnings && warnings.length) lines.push(`${shown.length ? "\n" : ""}_${plural(warnings.length, "template warning")} not shown: the comment would exceed GitHub's size limit._`);
  return lines;
}

/** Template problems, then what else stops or qualifies the analysis (base not analysable, scoring notes). */
export function problems(check: TemplateCheck, ctx: SectionContext = { link: undefined, baseLabel: "base", listCap: FULL_LIST_CAP }, omitWarnings = false): string[] {
  const out: string[] = [];
  const listed = templateProblems(check, ctx, omitWarnings);
  if (listed.length) out.push("", ...listed);
  const lines: string[] = [];
  if (check.baseError) lines.push(`- The base version could not be analysed (line ${check.baseError.line}): ${escapeMarkdown(check.baseError.message, 300)}`);
  const notes = Array.isArray(check.fitness?.notes) ? check.fitness.notes : [];
  for (const n of notes.slice(0, 10)) lines.push(`- ${escapeMarkdown(String(n), 300)}`);
  if (lines.length) out.push("", ...lines);
  return out;
}
