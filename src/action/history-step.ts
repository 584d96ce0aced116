/**
 * The fitness history in the Action: record on the default branch (and on
 * workflow_dispatch), show the trend with the PR's head as the projected
 * next point on pull requests. History problems are warnings, never a
 * failed job: the gate does not depend on them.
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
import { resolve } from "node:path";
import { commitDate } from "../io/git.js";
import { VERSION } from "../version.js";
import type { RunContext } from "./context.js";
import type { ActionInputs } from "./inputs.js";

export interface HistoryLog {
  info(message: string): void;
  warning(message: string): void;
  /** A notice on the run (CloudWatch skipped); info when not given. */
  notice?(message: string): void;
}

/** True when this run's scores belong in the history: a push to the default branch, or a manual run. */
export function recordsThisRun(context: RunContext): boolean {
  if (context.eventName === "workflow_dispatch") return true;
  return context.eventName === "push" && context.defaultBranch !== null && context.ref === `refs/heads/${context.defaultBranch}`;
}

/** Records (when this run should) and returns the trend markdown for the report, or null. */
export async function historyStep(inputs: ActionInputs, context: RunContext, report: CheckReport, log: HistoryLog): Promise<string | null> {
  let option: HistoryOption;
  try {
    option = parseHistoryOption(inputs.history ?? "branch");
  } catch (error) {
    log.warning(`sam-fitness history: ${(error as Error).message}`);
    return null;
  }
  if (option.kind === "off") return null;
  const limit = inputs.historyLimit ?? undefined;
  // Like sarif-file, a relative history file is relative to working-directory.
  const workingDirectory = inputs.workingDirectory;
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
        const result = await appendBranchHistory(
          { token: inputs.token, owner: context.owner, repo: context.repo, branch: option.branch, baseUrl: context.apiUrl, log: (m) => log.info(m), ...(limit === undefined ? {} : { limit }) },
          recorded,
        );
        file = result.file;
      }
      log.info(`sam-fitness history: recorded ${recorded.length} template(s) in ${option.kind === "file" ? option.path : `branch ${option.branch}`}`);
      if (inputs.cloudwatchNamespace) await publishMetrics(inputs, context, recorded, log);
    } else if (option.kind === "file") {
      file = await readHistoryFile(resolve(context.workspace, workingDirectory, option.path));
    } else {
      if (!inputs.token) return null;
      file = await readBranchHistory({ token: inputs.token, owner: context.owner, repo: context.repo, branch: option.branch, baseUrl: context.apiUrl });
    }
    return trendFor(file, report, context);
  } catch (error) {
    const hint = /403|not accessible|permission/i.test((error as Error).message) ? " (writing the history needs `permissions: contents: write`)" : "";
    log.warning(`sam-fitness history: ${(error as Error).message}${hint}`);
    return null;
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
