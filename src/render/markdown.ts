/**
 * The report as GitHub markdown: the PR comment and the job summary.
 *
 * Layout: hidden marker, headline with the gate verdict, the optional trend
 * block, then per template: template problems (parse error, diagnostics),
 * why the score moved, the rules table, new findings, fixed findings,
 * pre-existing findings (collapsed), suggestions and the diagram; a footer
 * with the tool version and config.
 *
 * GitHub rejects comments over 65,536 characters. When the full report is
 * longer, it is rendered again with less detail until it fits, in this order:
 *   1. pre-existing findings and template warnings are replaced by a count
 *      (template errors are always shown);
 *   2. diagrams are replaced by a note;
 *   3. lists are capped at 10 items (50 in a full report) and the table of
 *      unchanged rules is dropped;
 *   4. templates are reduced to their headline and gate;
 *   5. the per-template table is cut to the rows that fit.
 * Each step leaves a note in the report.
 */
import { withoutCharts } from "../history/trend.js";
import type { CheckReport, TemplateCheck } from "../fitness/types.js";
import { analyseTemplate, type TemplateAnalysis } from "./analysis.js";
import { escapeMarkdown } from "./escape.js";
import { arrowFor, formatScore, formatSigned } from "./format.js";
import {
  diagram,
  existingFindings,
  FULL_LIST_CAP,
  fixedFindings,
  gateLine,
  headline,
  newFindings,
  problems,
  rulesTable,
  suggestions,
  suppressedFindings,
  whyItMoved,
  type LinkFn,
  type SectionContext,
} from "./markdown-sections.js";

/** Hidden first line identifying the report comment, so it can be found and updated in place. */
export const REPORT_MARKER = "<!-- sam-fitness-report -->";
/** The same marker, under the name the comment-updating code uses. */
export const COMMENT_MARKER = REPORT_MARKER;

/** GitHub's limit on a comment body. */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

export interface MarkdownOptions {
  /** Link to a file and line (a blob URL at the head commit); null or absent for plain `file:line`. */
  link?: LinkFn;
  /** What the base is called in the headline ("main"); defaults to "base". */
  baseLabel?: string;
  maxChars?: number;
  /** A markdown block (score history) placed after the headline. */
  trend?: string | null;
  /** A markdown block (the live stack check, see live.ts) placed after the templates. */
  live?: string | null;
  /** Plain text (escaped here) said under the headline: how the run chose its templates when it had to fall back. */
  notice?: string | null;
}

interface Level {
  omitExisting: boolean;
  omitDiagrams: boolean;
  listCap: number;
  summaryOnly: boolean;
  tableRows: number;
  /** Only these templates (indexes) get their section; the others are in the summary table only. */
  detailed?: ReadonlySet<number>;
}

const LEVELS: readonly Level[] = [
  { omitExisting: false, omitDiagrams: false, listCap: FULL_LIST_CAP, summaryOnly: false, tableRows: Infinity },
  { omitExisting: true, omitDiagrams: false, listCap: FULL_LIST_CAP, summaryOnly: false, tableRows: Infinity },
  { omitExisting: true, omitDiagrams: true, listCap: FULL_LIST_CAP, summaryOnly: false, tableRows: Infinity },
  { omitExisting: true, omitDiagrams: true, listCap: 10, summaryOnly: false, tableRows: Infinity },
  { omitExisting: true, omitDiagrams: true, listCap: 10, summaryOnly: true, tableRows: Infinity },
];

function templateSection(check: TemplateCheck, analysis: TemplateAnalysis, ctx: SectionContext, level: Level, several: boolean): string[] {
  const lines: string[] = [];
  if (several) {
    lines.push(`### ${escapeMarkdown(check.file, 200)}`, "", `**${headline(check, ctx.baseLabel)}**`);
  }
  // With several templates the combined gate line gives the limits; a section repeats the gate only when it failed.
  const gate = several && !check.gate.passed ? gateLine(check.gate) : null;
  if (gate) lines.push("", gate);
  // Template errors stay at every level; warnings go with the pre-existing findings.
  lines.push(...problems(check, ctx, level.omitExisting));
  // A deleted or unanalysable template has nothing more to show: its old findings are not the PR's business.
  if (level.summaryOnly || check.fitness === null) return lines;
  const blocks = [
    whyItMoved(check, analysis, ctx),
    rulesTable(check, analysis, ctx),
    newFindings(check, analysis, ctx),
    fixedFindings(check, analysis, ctx),
    existingFindings(check, analysis, ctx, level.omitExisting),
    suppressedFindings(check, ctx, level.omitExisting),
    suggestions(check, ctx),
    diagram(check, analysis, level.omitDiagrams),
  ];
  for (const block of blocks) if (block.length) lines.push(...(lines.length ? [""] : []), ...block);
  return lines;
}

function changeWord(check: TemplateCheck): string {
  if (!check.ok) return "not analysed";
  if (check.delta) return `${arrowFor(check.delta.score)} ${formatSigned(check.delta.score)}`;
  return check.change === "added" ? "new" : check.change === "deleted" ? "deleted" : "–";
}

function combinedHeadline(report: CheckReport, baseLabel: string): string {
  const templates = report.templates;
  const up = templates.filter((t) => t.delta && arrowFor(t.delta.score) === "▲").length;
  const down = templates.filter((t) => t.delta && arrowFor(t.delta.score) === "▼").length;
  const scored = templates.filter((t) => t.fitness);
  const lowest = scored.reduce<TemplateCheck | null>((low, t) => (!low || (t.fitness?.score ?? 0) < (low.fitness?.score ?? 0) ? t : low), null);
  const parts = [`${templates.length} templates`];
  if (templates.some((t) => t.delta)) parts.push(`${up} up, ${down} down vs ${escapeMarkdown(baseLabel, 80)}`);
  if (lowest?.fitness) parts.push(`lowest ${formatScore(lowest.fitness.score)}`);
  return `Fitness of ${parts.join(", ")}`;
}

function summaryTable(report: CheckReport, rows: number): string[] {
  const lines = ["| Template | Fitness | Change | Gate |", "| --- | ---: | :---: | :---: |"];
  for (const t of report.templates.slice(0, rows)) {
    lines.push(`| ${escapeMarkdown(t.file, 160)} | ${formatScore(t.fitness?.score)} | ${changeWord(t)} | ${t.gate.passed ? "passed" : "**failed**"} |`);
  }
  const hidden = report.templates.length - Math.min(rows, report.templates.length);
  if (hidden > 0) lines.push("", `_${hidden} more templates not listed: the comment would exceed GitHub's size limit._`);
  return lines;
}

function footer(report: CheckReport): string[] {
  const config = report.configPath ? `config ${escapeMarkdown(report.configPath, 200)}` : "default config";
  return ["", "---", `<sub>sam-fitness ${escapeMarkdown(report.toolVersion, 40)} · ${config}</sub>`];
}

function render(report: CheckReport, analyses: TemplateAnalysis[], options: MarkdownOptions, level: Level): string {
  const baseLabel = options.baseLabel ?? "base";
  const ctx: SectionContext = { link: options.link, baseLabel, listCap: level.listCap };
  const templates = report.templates;
  const several = templates.length !== 1;
  const lines: string[] = [REPORT_MARKER];
  const only = templates[0];
  if (!several && only) {
    lines.push(`### ${headline(only, baseLabel)}`, "", `${escapeMarkdown(only.file, 200)}${only.change === "unchanged" ? " (unchanged)" : ""}`);
  } else {
    lines.push(`### ${templates.length ? combinedHeadline(report, baseLabel) : "No templates checked"}`);
  }
  const gate = gateLine(report.gate);
  if (gate) lines.push("", gate);
  if (options.notice) lines.push("", "> [!NOTE]", `> ${escapeMarkdown(options.notice, 1000)}`);
  if (options.notice) lines.push("", "> [!NOTE]", `> ${escapeMarkdown(options.notice, 1000)}`);
  // The trend's charts go with the diagrams; its prose stays until only the summary is left.
  const trend = !options.trend || level.summaryOnly ? null : level.omitDiagrams ? withoutCharts(options.trend) : options.trend;
  if (trend) lines.push("", trend.trim());
  if (several && templates.length) lines.push("", ...summaryTable(report, level.tableRows));
  if (!(level.summaryOnly && several)) templates.forEach((t, i) => {
    if (level.detailed && !level.detailed.has(i)) return;
    const section = templateSection(t, analyses[i] as TemplateAnalysis, ctx, level, several);
    if (section.length) lines.push("", ...section);
  });
  if (options.live) lines.push("", options.live.trim());
  const notes: string[] = [];
  if (level.omitExisting) notes.push("pre-existing findings");
  if (level.omitDiagrams) notes.push(options.trend ? "diagrams and trend charts" : "diagrams");
  if (level.summaryOnly && options.trend) notes.push("the trend");
  if (level.listCap < FULL_LIST_CAP) notes.push("long lists");
  if (level.summaryOnly) notes.push("per-template details");
  else if (level.detailed && level.detailed.size < templates.length) {
    const left = templates.length - level.detailed.size;
    notes.push(`the details of ${left} template${left === 1 ? "" : "s"} (in the table above; those whose gate failed or whose score dropped most are shown first)`);
  }
  if (notes.length) lines.push("", `> [!NOTE]`, `> The full report is longer than a GitHub comment allows; left out: ${notes.join(", ")}. Run <code>sam-fitness check</code> locally for everything.`);
  lines.push(...footer(report));
  return lines.join("\n") + "\n";
}

/** Template indexes, most important first: failed gate, then the largest drop, then the most failing findings, then file order. */
function byImportance(templates: readonly TemplateCheck[]): number[] {
  const failing = (t: TemplateCheck): number => t.fitness?.rules.reduce((n, r) => n + r.results.filter((x) => x.status === "fail").length, 0) ?? 0;
  return templates
    .map((t, i) => ({ i, passed: t.gate.passed ? 1 : 0, delta: t.delta?.score ?? 0, findings: failing(t) }))
    .sort((a, b) => a.passed - b.passed || a.delta - b.delta || b.findings - a.findings || a.i - b.i)
    .map((x) => x.i);
}

/** Renders the check report as one markdown document of at most `maxChars` (default 65,536) characters. */
export function renderMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_MAX_CHARS;
  const analyses = report.templates.map(analyseTemplate);
  let last = "";
  for (const level of LEVELS.slice(0, -1)) {
    last = render(report, analyses, options, level);
    if (last.length <= maxChars) return last;
  }
  // Before dropping every template's details: keep those of the templates that matter most, as many as fit.
  const shortest = LEVELS[LEVELS.length - 2] as Level;
  const order = byImportance(report.templates);
  const withDetails = (k: number): Level => ({ ...shortest, detailed: new Set(order.slice(0, k)) });
  let fits = 0;
  let tooMany = report.templates.length;
  while (fits + 1 < tooMany) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (render(report, analyses, options, withDetails(mid)).length <= maxChars) fits = mid;
    else tooMany = mid;
  }
  if (fits > 0) return render(report, analyses, options, withDetails(fits));
  last = render(report, analyses, options, LEVELS[LEVELS.length - 1] as Level);
  if (last.length <= maxChars) return last;
  // Only the per-template table can still be too long: keep the rows that fit.
  const summary = LEVELS[LEVELS.length - 1] as Level;
  let low = 0;
  let high = report.templates.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(report, analyses, options, { ...summary, tableRows: mid }).length <= maxChars) low = mid;
    else high = mid - 1;
  }
  last = render(report, analyses, { ...options, trend: null, live: null }, { ...summary, tableRows: low });
  if (last.length <= maxChars) return last;
  // A limit too small for even the headline: the marker and a note.
  return `${REPORT_MARKER}\nsam-fitness report too large for the size limit.\n`.slice(0, Math.max(0, maxChars));
}
