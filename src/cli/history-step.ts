import { resolve } from "node:path";
import type { CheckReport } from "../fitness/types.js";
import { appendToHistoryFile, parseHistoryOption, recordsFromReport, renderTrend } from "../history/index.js";
import { checkoutRoot, commitDate, git, pathInCheckout } from "../io/git.js";
import { VERSION } from "../version.js";
import { UsageError } from "./args.js";

/** What `check --history file:PATH` did: the trend to show and a line for stderr. */
export interface HistoryStep {
  trend: string;
  note: string;
}

/**
 * Appends this run's records to a local history file (creating it) and
 * renders the trend. The commit, its date and the ref come from git when the
 * working directory is a checkout ("local" and now otherwise); template
 * paths are recorded relative to the checkout's top folder.
 */
export async function recordHistory(option: string, report: CheckReport, cwd: string): Promise<HistoryStep> {
  const parsed = (() => {
    try {
      return parseHistoryOption(option);
    } catch (error) {
      throw new UsageError(`--history: ${(error as Error).message}`);
    }
  })();
  if (parsed.kind === "off") return { trend: "", note: "" };
  if (parsed.kind !== "file") throw new UsageError("--history: the command line keeps history in a local file (file:PATH); branch storage is for the GitHub Action");
  const path = resolve(cwd, parsed.path);
  const sha = (await git(["rev-parse", "HEAD"], cwd).catch(() => "local")).trim();
  const ref = (await git(["symbolic-ref", "-q", "HEAD"], cwd).catch(() => "local")).trim() || "local";
  const date = (sha !== "local" ? await commitDate(sha, cwd) : null) ?? new Date().toISOString();
  // Templates are recorded by their path in the checkout, wherever the command runs from, so one template is one series.
  const root = await checkoutRoot(cwd);
  const records = recordsFromReport(report, { sha, ref, date, toolVersion: VERSION }).map((record) =>
    root === null ? record : { ...record, template: pathInCheckout(root, cwd, record.template) ?? record.template },
  );
  const result = await appendToHistoryFile(path, records);
  const trend = renderTrend(result.file.records, {});
  return { trend, note: `history: ${result.written ? `recorded ${records.length} template(s) in` : "nothing new for"} ${parsed.path}` };
}
