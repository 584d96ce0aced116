/**
 * The fitness trend as markdown: a Mermaid `xychart-beta` line chart of the
 * last default-branch scores with the PR head as a projected next point, and
 * the best / worst / last scores in prose for readers who cannot see the
 * chart. Pure.
 */
import { chartText, codeSpan, markdownText } from "./text.js";
import type { HistoryRecord } from "./types.js";

export const DEFAULT_TREND_POINTS = 15;

export interface ProjectedPoint {
  score: number;
  label: string;
}

export interface TrendOptions {
  /** Only this template's records; by default one section per template found. */
  template?: string;
  /**
   * One section for each of these templates, in this order, also for one
   * with no records yet (a pull request's templates); overrides `template`.
   */
  templates?: readonly string[];
  /** The PR head's score, drawn after the history as the projected next point (one template only). */
  projected?: ProjectedPoint | null;
  /** The PR head's score of each template, by template path (for several templates). */
  projections?: ReadonlyMap<string, ProjectedPoint>;
  /** How many of the most recent records to draw (default 15: more labels would overlap). */
  last?: number;
  /** Only records of this ref (e.g. refs/heads/main). */
  ref?: string;
  /** At most this many templates get a chart (default 5); the others get one line each. */
  maxCharts?: number;
}

export const DEFAULT_MAX_CHARTS = 5;

interface Point {
  label: string;
  score: number;
}

/** A number as the xychart lexer reads it: no exponent, at most two decimals. */
function chartNumber(value: number): string {
  const clamped = Math.max(-1e9, Math.min(1e9, value));
  const text = clamped.toFixed(2).replace(/\.?0+$/, "");
  return text === "-0" ? "0" : text;
}

/** A score for prose. */
function scoreText(value: number): string {
  return chartNumber(value);
}

function dateText(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time) ? "unknown date" : new Date(time).toISOString().slice(0, 10);
}

function timeOf(record: HistoryRecord): number {
  const time = Date.parse(record.date);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Records in date order; records of the same time keep their order in the file. */
function chronological(records: readonly HistoryRecord[]): HistoryRecord[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => timeOf(a.record) - timeOf(b.record) || a.index - b.index)
    .map(({ record }) => record);
}

/** Category labels must be distinct: the chart's band axis merges equal ones. */
function distinctLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  return labels.map((label) => {
    let candidate = label;
    for (let n = 2; seen.has(candidate); n++) candidate = `${label} (${n})`;
    seen.add(candidate);
    return candidate;
  });
}

/** The sentence that explains the chart's two lines; a report that drops the chart drops it too. */
export const CHART_KEY = "In the chart, the red line leads to it and the blue line stays at the last recorded score.";

/**
 * Trend markdown without its charts (the Mermaid blocks) and the sentence
 * that explains them, for a report that has no room for charts or cannot
 * draw them (the terminal): the prose says the same in words.
 */
export function withoutCharts(markdown: string): string {
  return markdown.replace(/```mermaid\n[\s\S]*?\n```\n?/g, "").split(` ${CHART_KEY}`).join("").replace(/\n{3,}/g, "\n\n");
}

/** Colours of the two lines (GitHub's red and blue, readable on light and dark backgrounds). */
const PROJECTED_COLOUR = "#cf222e";
const HISTORY_COLOUR = "#0969da";

function directive(palette: readonly string[]): string {
  const init = {
    xyChart: { width: 900, height: 420, xAxis: { labelFontSize: 11 } },
    themeVariables: { xyChart: { plotColorPalette: palette.join(", ") } },
  };
  return `%%{init: ${JSON.stringify(init)}}%%`;
}

/**
 * The chart. With a projected point there are two lines over the same
 * categories (an xychart series must have a value for each): the red one,
 * drawn first, runs through the history to the PR's score; the blue one,
 * drawn over it, is the history and stays level at the last recorded score
 * for the PR's category. What shows of the red line is the PR's step.
 */
function chart(title: string, points: readonly Point[], projected: Point | null): string {
  const all = projected ? [...points, projected] : [...points];
  const scores = all.map((p) => p.score);
  const low = Math.min(0, Math.floor(Math.min(...scores)));
  const high = Math.max(100, Math.ceil(Math.max(...scores)));
  const labels = distinctLabels(all.map((p) => chartText(p.label, 24)));
  const history = points.map((p) => p.score);
  const lines = [
    "```mermaid",
    directive(projected ? [PROJECTED_COLOUR, HISTORY_COLOUR] : [HISTORY_COLOUR]),
    "xychart-beta",
    `    title "${chartText(title, 60)}"`,
    `    x-axis "Commit" [${labels.map((l) => `"${l}"`).join(", ")}]`,
    `    y-axis "Score" ${chartNumber(low)} --> ${chartNumber(high)}`,
  ];
  if (projected) {
    const last = history[history.length - 1] ?? projected.score;
    lines.push(`    line [${[...history, projected.score].map(chartNumber).join(", ")}]`);
    lines.push(`    line [${[...history, last].map(chartNumber).join(", ")}]`);
  } else {
    lines.push(`    line [${history.map(chartNumber).join(", ")}]`);
  }
  lines.push("```");
  return lines.join("\n");
}

function extreme(records: readonly HistoryRecord[], better: (a: number, b: number) => boolean): HistoryRecord {
  // On a tie the most recent record wins.
  let pick = records[0] as HistoryRecord;
  for (const record of records) if (!better(pick.score, record.score)) pick = record;
  return pick;
}

function describe(record: HistoryRecord): string {
  return `**${scoreText(record.score)}** (${codeSpan(record.sha.slice(0, 7))}, ${dateText(record.date)})`;
}

function signed(value: number): string {
  const text = scoreText(Math.abs(value));
  if (text === "0") return "±0";
  return value > 0 ? `+${text}` : `−${text}`;
}

/** The PR's projected point for `template`: from `projections`, or `projected` when the trend has one template. */
function projectionFor(template: string, options: TrendOptions, single: boolean): ProjectedPoint | null {
  const candidate = options.projections?.get(template) ?? (single ? options.projected : null);
  return candidate && Number.isFinite(candidate.score) ? candidate : null;
}

/** A template path as a code span, cut to 200 characters. */
function templateName(template: string): string {
  return codeSpan(template.length > 200 ? `${template.slice(0, 199)}…` : template);
}

function section(template: string, records: readonly HistoryRecord[], options: TrendOptions, single: boolean): string {
  const last = Math.max(1, Math.floor(options.last ?? DEFAULT_TREND_POINTS) || DEFAULT_TREND_POINTS);
  const shown = chronological(records).slice(-last);
  const projected = projectionFor(template, options, single);
  const name = templateName(template);
  const out = [`**Fitness trend** for ${name}`, ""];
  const projectedLabel = projected ? markdownText(String(projected.label ?? "").slice(0, 100)) : "";

  if (shown.length === 0) {
    out.push(`No default-branch history recorded yet for ${name}.`);
    if (projected) out.push(`This PR (${projectedLabel}) would score **${scoreText(projected.score)}**.`);
    return out.join("\n");
  }

  const points = shown.map((record) => ({ label: record.sha.slice(0, 7), score: record.score }));
  const next = projected ? { label: String(projected.label ?? ""), score: projected.score } : null;
  out.push(chart(`Fitness score: ${template}`, points, next), "");

  const lastRecord = shown[shown.length - 1] as HistoryRecord;
  const what = shown.length === 1 ? "The only recorded score" : `Over the last ${shown.length} recorded scores`;
  const summary = [
    `${what}: best ${describe(extreme(shown, (a, b) => a > b))}`,
    `worst ${describe(extreme(shown, (a, b) => a < b))}`,
    `last ${describe(lastRecord)}.`,
  ];
  out.push(shown.length === 1 ? `${what}: ${describe(lastRecord)}.` : summary.join(", "));
  if (projected) {
    out.push(
      `This PR (${projectedLabel}) would score **${scoreText(projected.score)}**, ` +
        `${signed(projected.score - lastRecord.score)} against the last recorded score.` +
        ` ${CHART_KEY}`,
    );
  }
  return out.join("\n");
}

/** Markdown for the trend of one template (`options.template`) or of each template in `records`. */
export function renderTrend(records: readonly HistoryRecord[], options: TrendOptions = {}): string {
  // Records handed in directly (not read through parseHistory) may be of any shape: draw only the usable ones.
  const usable = records.filter(
    (record) =>
      typeof record?.template === "string" &&
      typeof record.sha === "string" &&
      typeof record.score === "number" &&
      Number.isFinite(record.score) &&
      (options.ref === undefined || record.ref === options.ref),
  );
  if (options.templates !== undefined) {
    const list = [...new Set(options.templates)];
    if (list.length === 0) return "No fitness history recorded yet.\n";
    return sections(list, usable, options);
  }
  if (options.template !== undefined) {
    const own = usable.filter((record) => record.template === options.template);
    return `${section(options.template, own, options, true)}\n`;
  }
  const templates = [...new Set(usable.map((record) => record.template))].sort();
  if (templates.length === 0) return "No fitness history recorded yet.\n";
  return sections(templates, usable, options);
}

/** A chart section for the first `maxCharts` templates, one line for each of the others (a PR can touch dozens). */
function sections(templates: readonly string[], usable: readonly HistoryRecord[], options: TrendOptions): string {
  const single = templates.length === 1;
  const cap = Math.max(0, Math.floor(options.maxCharts ?? DEFAULT_MAX_CHARTS));
  const charted = templates.slice(0, cap).map((t) => section(t, usable.filter((r) => r.template === t), options, single));
  const rest = templates.slice(cap);
  if (rest.length === 0) return `${charted.join("\n\n")}\n`;
  const lines = rest.map((t) => `- ${briefLine(t, usable.filter((r) => r.template === t), options)}`);
  const heading = `**Fitness trend** of ${rest.length} more template${rest.length === 1 ? "" : "s"} (no chart):`;
  return `${[...charted, [heading, "", ...lines].join("\n")].join("\n\n")}\n`;
}

/** One template's trend in one line: its last recorded score and, on a PR, where the PR puts it. */
function briefLine(template: string, records: readonly HistoryRecord[], options: TrendOptions): string {
  const name = templateName(template);
  const last = chronological(records).at(-1);
  const projected = projectionFor(template, options, false);
  const parts = [last ? `last ${describe(last)}` : "no history yet"];
  if (projected) parts.push(`this PR **${scoreText(projected.score)}**${last ? ` (${signed(projected.score - last.score)})` : ""}`);
  return `${name}: ${parts.join("; ")}`;
}
