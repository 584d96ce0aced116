/**
 * When the live check may run in a GitHub Actions job. A pull request from a
 * fork runs code and templates nobody reviewed yet; it must never get a path
 * to the account's AWS credentials, so the live check does not run there.
 */

export interface RunContext {
  /** GITHUB_EVENT_NAME: pull_request, pull_request_target, push, workflow_dispatch, ... */
  eventName: string;
  /** owner/name of the repository the pull request's head branch lives in, when the event is a pull request. */
  headRepository?: string | null;
  /** owner/name of the repository the workflow runs in. */
  repository: string;
  /** A workflow_run event for a pull request's run: judged by that run's head repository, like a pull request. */
  viaWorkflowRun?: boolean;
}

export type LiveCheckDecision = { run: true } | { run: false; reason: string };

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"]);

export function liveCheckAllowed(context: RunContext): LiveCheckDecision {
  if (!PULL_REQUEST_EVENTS.has(context.eventName) && !context.viaWorkflowRun) return { run: true };
  const head = context.headRepository?.toLowerCase() ?? null;
  if (!head) {
    return { run: false, reason: "The pull request's head repository is unknown, so it may be a fork: the live check does not run." };
  }
  if (head !== context.repository.toLowerCase()) {
    return { run: false, reason: `The pull request comes from the fork ${context.headRepository}: the live check never runs on forks.` };
  }
  return { run: true };
}
