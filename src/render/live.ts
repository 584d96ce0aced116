import type { LiveReport } from "../live/types.js";
import { own } from "../tables.js";
import { escapeMarkdown } from "./escape.js";
import { formatScore } from "./format.js";

/** Most rows of one list in the live section before it says how many more. */
const MAX_ROWS = 15;

/** The "Live" section when the live check was configured but not run (a fork's pull request): says why. */
export function renderLiveSkipped(reason: string): string {
  return ["### Live stack", "", `Not checked: ${escapeMarkdown(reason, 400)}`].join("\n");
}

/**
 * The "Live" section of the report: the deployed stack beside the template.
 * Everything that comes from AWS or the template (names, annotations, error
 * messages) is escaped.
 */
export function renderLiveSection(live: LiveReport, templateScore: number | null, templateFile?: string): string {
  const stack = `<code>${escapeMarkdown(live.stack, 120)}</code>`;
  const lines = ["### Live stack", ""];
  if (templateFile !== undefined) lines.push(`Compared with <code>${escapeMarkdown(templateFile, 200)}</code>.`, "");
  if (!live.ok) {
    lines.push(`The live check of ${stack} did not complete: ${escapeMarkdown(live.error?.message ?? "unknown error", 400)}`);
    return lines.join("\n");
  }
  const where = [live.region ? escapeMarkdown(live.region, 40) : null, live.status ? escapeMarkdown(live.status, 40) : null].filter(Boolean).join(", ");
  const score =
    live.score === null
      ? "no live score (AWS Config has not evaluated this stack's resources)"
      : `live fitness **${formatScore(live.score)}** (template ${formatScore(templateScore)})`;
  lines.push(`Stack ${stack}${where ? ` (${where})` : ""}: ${score}.`);
  if (live.drift) lines.push(`Stack drift status: ${escapeMarkdown(live.drift, 40)}.`);

  const removed = live.changes.removed;
  const stateful = removed.filter((r) => r.stateful && !r.retained);
  if (stateful.length > 0) {
    lines.push("", `> [!CAUTION]`, `> Deploying this change **deletes ${stateful.length} stateful resource(s)** and their data: ${list(stateful.map((r) => `${r.logicalId} (${r.type})`))}`);
  }
  const rows: string[] = [];
  for (const id of live.changes.added.slice(0, MAX_ROWS)) rows.push(`| ${code(id)} | not deployed yet |`);
  for (const r of removed.slice(0, MAX_ROWS)) rows.push(`| ${code(r.logicalId)} | deleted on deploy${r.retained ? " (retained by its DeletionPolicy)" : ""} |`);
  for (const id of live.changes.replaced.slice(0, MAX_ROWS)) {
    // Logical IDs such as "constructor" must not pick up a member of Object.prototype.
    const reason = own(live.changes.replacedBecause, id);
    const why = typeof reason === "string" ? reason : undefined;
    rows.push(`| ${code(id)} | replaced on deploy${why ? `: ${escapeMarkdown(why, 160)}` : ""} |`);
  }
  if (rows.length > 0) lines.push("", "| Resource | On deploy |", "| --- | --- |", ...rows);
  const hidden = Math.max(0, live.changes.added.length - MAX_ROWS) + Math.max(0, removed.length - MAX_ROWS) + Math.max(0, live.changes.replaced.length - MAX_ROWS);
  if (hidden > 0) lines.push("", `…and ${hidden} more.`);

  if (live.disagreements.length > 0) {
    lines.push("", "Where the template and AWS Config disagree:", "", "| Resource | Rule | Template | AWS Config |", "| --- | --- | --- | --- |");
    for (const d of live.disagreements.slice(0, MAX_ROWS)) {
      lines.push(`| ${code(d.resource)} | ${code(d.ruleId)} | ${d.template} | ${escapeMarkdown(d.live, 40)}${d.annotation ? `: ${escapeMarkdown(d.annotation, 160)}` : ""} |`);
    }
  }
  if (live.unmatchedConfigRules.length > 0) {
    lines.push("", `AWS Config rules with no template rule here: ${list(live.unmatchedConfigRules)}`);
  }
  for (const warning of live.warnings.slice(0, 5)) lines.push("", `_Note: ${escapeMarkdown(warning, 300)}_`);
  return lines.join("\n");
}

function code(text: string): string {
  return `<code>${escapeMarkdown(text, 120)}</code>`;
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_ROWS).map((i) => escapeMarkdown(i, 120)).join(", ");
  return items.length > MAX_ROWS ? `${shown} and ${items.length - MAX_ROWS} more` : shown;
}
