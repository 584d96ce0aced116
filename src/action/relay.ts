/**
 * `comment-from`: post a comment that an earlier, unprivileged run wrote to
 * `comment.json`, from a privileged `workflow_run` workflow. Nothing is
 * analysed here and no code from the pull request runs.
 *
 * The file is untrusted (a fork PR's run can write anything into its
 * artifact), so before posting, the comment must be tied to the run that
 * triggered this one and to the pull request it names:
 * - the file's head SHA is the commit that run ran on (from the event payload,
 *   which GitHub writes, not the PR);
 * - the pull request, read from the API, has that same commit as its head
 *   (and lives where that run's commit came from), so a run cannot aim its
 *   comment at another pull request.
 * Any mismatch fails the step and nothing is posted.
 */
import { resolve } from "node:path";
import type { GitHubClient } from "../github/client.js";
import type { CommentMode } from "../github/comments.js";
import { getPullRequestHead } from "../github/pulls.js";
import { postReportComment } from "./comment.js";
import { parseCommentFile, readCommentFileText } from "./comment-file.js";
import type { RunContext } from "./context.js";
import { SamFitnessError } from "../errors.js";

export class RelayError extends SamFitnessError {
  readonly kind = "failure";
  override readonly name = "RelayError";
}

export interface RelayRequest {
  /** The `comment-from` path (relative paths are taken from the workspace). */
  path: string;
  mode: CommentMode;
  context: RunContext;
  client: GitHubClient | null;
  marker: string;
  log: { info(message: string): void; warning(message: string): void };
}

/** Validates the comment file against the event and the pull request, then posts it. Returns the comment URL. */
export async function relayComment(request: RelayRequest): Promise<string | null> {
  const { context, log } = request;
  const repository = `${context.owner}/${context.repo}`;
  if (context.eventName !== "workflow_run") {
    throw new RelayError(
      `comment-from only works in a workflow started by workflow_run (this run was started by "${context.eventName || "an unknown event"}"). ` +
        "Run the action with comment: off in the pull_request workflow, and with comment-from in a workflow_run workflow.",
    );
  }
  const run = context.workflowRun;
  if (!run?.headSha) throw new RelayError("the workflow_run event payload has no valid workflow_run.head_sha to check the comment file against.");

  const path = resolve(context.workspace, request.path);
  let file;
  try {
    file = parseCommentFile(await readCommentFileText(path), { repository, marker: request.marker });
  } catch (error) {
    throw new RelayError(`comment-from ${path}: ${(error as Error).message}`);
  }
  if (file.headSha !== run.headSha) {
    throw new RelayError(
      `the comment file is for commit ${file.headSha}, but the workflow run that triggered this one ran on ${run.headSha}; not posted.`,
    );
  }
  if (request.client === null) throw new RelayError("a github-token is needed to check the pull request and post the comment.");

  const pr = await getPullRequestHead(request.client, { owner: context.owner, repo: context.repo, pullNumber: file.pullRequest });
  if (pr === null) throw new RelayError(`pull request #${file.pullRequest} does not exist in ${repository}; not posted.`);
  if (pr.headSha !== file.headSha) {
    throw new RelayError(
      `pull request #${file.pullRequest}'s head is ${pr.headSha}, not ${file.headSha} (the commit of the comment file); not posted. ` +
        "If a commit was pushed since, the run for that commit posts its own comment.",
    );
  }
  if (run.headRepository !== null && run.headRepository.toLowerCase() !== (pr.headRepository ?? "").toLowerCase()) {
    throw new RelayError(
      `pull request #${file.pullRequest}'s head is in ${pr.headRepository ?? "a deleted repository"}, but the triggering run's commit came from ${run.headRepository}; not posted.`,
    );
  }
  log.info(`Comment file checked: pull request #${pr.number}, head ${pr.headSha.slice(0, 12)}, from run ${run.id ?? context.runId}.`);

  if (request.mode === "off") {
    log.info("comment: off: the comment file is valid; nothing is posted.");
    return null;
  }
  // Stamp the comment with the run that computed it, so that its results and
  // those of other runs of the same PR are ordered as if it had posted itself.
  const stampRun = run.id !== null ? { runId: run.id, runAttempt: run.runAttempt } : { runId: context.runId, runAttempt: context.runAttempt };
  return postReportComment({
    client: request.client,
    context: {
      ...context,
      ...stampRun,
      pullRequest: { number: pr.number, baseSha: "", headSha: pr.headSha, baseRef: "", fromFork: false, headRepository: pr.headRepository },
    },
    mode: request.mode,
    marker: request.marker,
    body: file.body,
    createIfMissing: true,
    strict: true,
    log,
  });
}
