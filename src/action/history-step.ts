/**
 * The fitness history in the Action: record on the default branch (and on
 * workflow_dispatch), show the trend with the PR's head as the projected
 * next point on pull requests. History problems are warnings, never a
 * failed job: the gate does not depend on them. One is louder: records that
 * could not be written because other runs kept writing the history branch
 * for the whole retry budget are an error annotation (this run's point is
 * missing from the history), still not a failed job, and the step's result
 * says `failed`.
 */
import type { CheckReport } from "../fitness/types.js";
import {
  appendBranchHistory,
  appendToHistoryFile,
  parseHistoryOption,
  publishScoreMetric,
  readBranchHistory,
  readHistoryFile,
  recordsFromReport,
  renderTrend,
} from "../history/index.js";
import type { HistoryFile, HistoryOption, HistoryRecord, TrendOptions } from "../history/index.js";
import { HistoryConflictError } from "../history/store-github.js";
import type { BranchStoreOptions } from "../history/store-github.js";
import { resolve } from "node:path";
import { commitDate } from "../io/git.js";
import { VERSION } from "../version.js";
import type { RunContext } from "./context.js";
import type { ActionInputs } from "./inputs.js";

export interface HistoryLog {
  info(message: string): void;
  warning(message: string): void;
  /** An error annotation on the run (records that could not be written); a warning when not given. */
  error?(message: string, properties?: { title?: string }): void;
  /** A notice on the run (CloudWatch skipped); info when not given. */
  notice?(message: string): void;
}

/**
 * What the history step did: `off`; `read` (a trend from the history, nothing
 * to record on this run); `recorded`; `warning` (a history problem, logged as
 * a warning); `failed` (this run's records could not be written, logged as an
 * error annotation). None of them fails the job.
 */
export type HistoryStatus = "off" | "read" | "recorded" | "warning" | "failed";

export interface HistoryStepResult {
  /** The trend markdown for the report, or null. */
  trend: string | null;
  status: HistoryStatus;
  /** The message logged for `warning` and `failed`; null otherwise. */
  problem: string | null;
}

export interface HistoryStepOptions {
  /** Passed to the history branch store: injected clock, sleep, jitter and conflict budget (tests). */
  branch?: Pick<BranchStoreOptions, "now" | "sleep" | "random" | "conflictBudgetMs" | "conflictBackoffMs" | "conflictBackoffMaxMs">;
}

/** The annotation title of a history write that did not land. */
export const HISTORY_ERROR_TITLE = "sam-fitness history";

/** True when this run's scores belong in the history: a push to the default branch, or a manual run. */
export function recordsThisRun(context: RunContext): boolean {
  if (context.eventName === "workflow_dispatch") return true;
  return context.eventName === "push" && context.defaultBranch !== null && context.ref === `refs/heads/${context.defaultBranch}`;
}

/** Records (when this run should) and returns the trend markdown for the report, or null. See runHistoryStep. */
export async function historyStep(
  inputs: ActionInputs,
  context: RunContext,
  report: CheckReport,
  log: HistoryLog,
  options: HistoryStepOptions = {},
): Promise<string | null> {
  return (await runHistoryStep(inputs, context, report, log, options)).trend;
}

/** Records (when this run should) and returns the trend with what the step did; never throws, never fails the job. */
export async function runHistoryStep(
  inputs: ActionInputs,
  context: RunContext,
  report: CheckReport,
  log: HistoryLog,
  options: HistoryStepOptions = {},
): Promise<HistoryStepResult> {
  const warn = (message: string): HistoryStepResult => {
    log.warning(message);
    return { trend: null, status: "warning", problem: message };
  };
  let option: HistoryOption;
  try {
    option = parseHistoryOption(inputs.history ?? "branch");
  } catch (error) {
    return warn(`sam-fitness history: ${(error as Error).message}`);
  }
  if (option.kind === "off") return { trend: null, status: "off", problem: null };
  const limit = inputs.historyLimit ?? undefined;
  // Like sarif-file, a relative history file is relative to working-directory.
  const workingDirectory = inputs.workingDirectory;
  // The history branch, as both the writer and the reader address it.
  const store = (token: string, branch: string) => ({ ...options.branch, token, owner: context.owner, repo: context.repo, branch, baseUrl: context.apiUrl });
  try {
    let file: HistoryFile;
    let recorded: HistoryRecord[] = [];
    if (recordsThisRun(context)) {
      const date = (await commitDate(context.sha, context.workspace)) ?? new Date().toISOString();
      recorded = recordsFromReport(report, { sha: context.sha, ref: context.ref, date, toolVersion: VERSION });
      if (option.kind === "file") {
        file = (await appendToHistoryFile(resolve(context.workspace, workingDirectory, option.path), recorded, limit === undefined ? {} : { limit })).file;
      } else {
        if (!inputs.token) throw new Error("a github-token is needed to keep the history on a branch");
        file = (await appendBranchHistory({ ...store(inputs.token, option.branch), log: (m) => log.info(m), ...(limit === undefined ? {} : { limit }) }, recorded)).file;
      }
      log.info(`sam-fitness history: recorded ${recorded.length} template(s) in ${option.kind === "file" ? option.path : `branch ${option.branch}`}`);
      if (inputs.cloudwatchNamespace) await publishMetrics(inputs, context, recorded, log);
      return { trend: trendFor(file, report, context), status: "recorded", problem: null };
    }
    if (option.kind === "file") {
      file = await readHistoryFile(resolve(context.workspace, workingDirectory, option.path));
    } else {
      if (!inputs.token) return { trend: null, status: "read", problem: null };
      file = await readBranchHistory(store(inputs.token, option.branch));
    }
    return { trend: trendFor(file, report, context), status: "read", problem: null };
  } catch (error) {
    if (error instanceof HistoryConflictError) {
      // Loud, because this run's point is missing from the history; not a failed job, because the gate does not depend on it.
      const message = `sam-fitness history: ${error.message} Re-run the workflow to record them.`;
      if (log.error) log.error(message, { title: HISTORY_ERROR_TITLE });
      else log.warning(message);
      return { trend: null, status: "failed", problem: message };
    }
    const hint = /403|not accessible|permission/i.test((error as Error).message) ? " (writing the history needs `permissions: contents: write`)" : "";
    return warn(`sam-fitness history: ${(error as Error).message}${hint}`);
  }
}

/** CloudWatch is optional: its failure is a warning of its own and leaves the recorded history and the trend alone. */
async function publishMetrics(inputs: ActionInputs, context: RunContext, recorded: HistoryRecord[], log: HistoryLog): Promise<void> {
  const namespace = inputs.cloudwatchNamespace ?? "";
  try {
    const metric = await publishScoreMetric(recorded, {
      namespace,
      dimensions: { Repository: `${context.owner}/${context.repo}` },
      // This step says what happened, once: as a notice when skipped.
      log: () => undefined,
      ...(inputs.region ? { region: inputs.region } : {}),
    });
    if (metric.skipped) (log.notice ?? log.info)(`sam-fitness: CloudWatch metrics not published: ${metric.skipped}.`);
    else log.info(`sam-fitness: published ${metric.published} CloudWatch metric value(s) to ${namespace}`);
  } catch (error) {
    log.warning(`sam-fitness: CloudWatch metrics not published: ${(error as Error).message} (the role needs cloudwatch:PutMetricData)`);
  }
}

/**
 * The trend for this run's report. On a pull request: one section per
 * template the PR analysed, each with the PR head's score as the projected
 * next point; otherwise the recorded templates (the run's only template when
 * there is one).
 */
function trendFor(file: HistoryFile, report: CheckReport, context: RunContext): string | null {
  if (file.records.length === 0 && !context.pullRequest) return null;
  const scored = report.templates.filter((t) => t.fitness !== null);
  const ref = context.pullRequest ? `refs/heads/${context.pullRequest.baseRef}` : context.ref;
  const options: TrendOptions = ref ? { ref } : {};
  if (context.pullRequest) {
    if (scored.length === 0) return null;
    const label = `PR #${context.pullRequest.number}`;
    options.templates = scored.map((t) => t.file);
    options.projections = new Map(scored.map((t) => [t.file, { score: t.fitness?.score ?? Number.NaN, label }]));
  } else if (scored.length === 1 && scored[0]) {
    options.template = scored[0].file;
  }
  return renderTrend(file.records, options);
}
