/**
 * Posting the report on the pull request, with the failure modes that are
 * normal in Actions turned into clear log lines instead of a crash: a fork PR
 * or a read-only token answers 403; the job summary, annotations and gate
 * still do their work.
 */
import type { GitHubClient } from "../github/client.js";
import { publishComment, type CommentMode, type PublishResult } from "../github/comments.js";
import { isPermissionError } from "../github/errors.js";
import type { RunStamp } from "../github/run-stamp.js";
import type { RunContext } from "./context.js";

export interface CommentRequest {
  client: GitHubClient | null;
  context: RunContext;
  mode: CommentMode;
  marker: string;
  body: string;
  /** False when no template was analysed: refresh an existing comment, do not start one. */
  createIfMissing: boolean;
  log: { info(message: string): void; warning(message: string): void };
  /**
   * Throw instead of warning when the comment cannot be written: for the
   * `comment-from` run, whose only job is the comment. The 403 explanation
   * then names the permission (that run's token is not a fork PR's).
   */
  strict?: boolean;
  /**
   * Committer date (ISO 8601) of the PR's head commit, for the run stamp's
   * last tie-break; optional (the comment-from run has no checkout to read
   * it from), and a stamp without one counts as older.
   */
  commitDate?: string | null;
}

/** Returns the comment URL, or null when no comment was written. Never throws for API failures. */
export async function postReportComment(request: CommentRequest): Promise<string | null> {
  const { context, log } = request;
  const pr = context.pullRequest;
  if (request.mode === "off") return null;
  if (pr === null) {
    log.info(`No pull request in this ${context.eventName || "run"} event: the report is in the job summary, no comment is posted.`);
    return null;
  }
  if (request.client === null) {
    if (request.strict) throw new Error("a github-token is needed to post the PR comment.");
    log.warning("No github-token: the PR comment is skipped (the job summary has the report).");
    return null;
  }
  const runUrl = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
  let result: PublishResult;
  try {
    result = await publishComment(request.client, {
      owner: context.owner,
      repo: context.repo,
      issueNumber: pr.number,
      marker: request.marker,
      body: request.body,
      stamp: runStamp(context, pr.headSha, request.commitDate),
      mode: request.mode,
      createIfMissing: request.createIfMissing,
      fallbackBody: `${request.marker}\n\nThe sam-fitness report is too large for a PR comment. Read it in the [job summary](${runUrl}).`,
    });
  } catch (error) {
    if (request.strict) {
      const why = isPermissionError(error) ? "the token cannot write to pull requests (grant `permissions: pull-requests: write` to the job)" : "";
      throw new Error(`could not post the PR comment${why ? `: ${why}` : ""}. (${(error as Error).message})`);
    }
    if (isPermissionError(error)) {
      const why = pr.fromFork
        ? "this pull request comes from a fork, and GitHub gives fork PRs a read-only token"
        : "the token cannot write to pull requests (grant `permissions: pull-requests: write` to the job)";
      log.warning(
        `sam-fitness could not post the PR comment: ${why}. The report is in the job summary and the annotations; the gate still applies. (${(error as Error).message})`,
      );
    } else {
      log.warning(`sam-fitness could not post the PR comment: ${(error as Error).message}. The report is in the job summary.`);
    }
    return null;
  }
  switch (result.action) {
    case "skipped-stale":
      log.info(`The PR comment already shows a newer run's result; left unchanged (${result.url ?? "no url"}).`);
      break;
    case "skipped":
      log.info("No template to report and no earlier comment: no comment posted.");
      break;
    default:
      log.info(`PR comment ${result.action}: ${result.url ?? ""}${result.usedFallback ? " (short version: the report is too long for a comment)" : ""}`);
  }
  return result.url;
}

/**
 * The stamp for this comment. The run number goes with the run id it belongs
 * to: a comment-from run stamps the triggering run's id (relay.ts puts it in
 * `runId`), so it takes that run's number from the event, not its own, which
 * counts runs of another workflow.
 */
export function runStamp(context: RunContext, headSha: string, commitDate?: string | null): RunStamp {
  const stamp: RunStamp = { sha: headSha, runId: context.runId, attempt: context.runAttempt };
  const triggering = context.workflowRun;
  const runNumber = triggering && triggering.id !== null && triggering.id === context.runId ? triggering.runNumber : context.runNumber;
  if (runNumber !== undefined) stamp.runNumber = runNumber;
  if (commitDate) stamp.commitDate = commitDate;
  return stamp;
}
