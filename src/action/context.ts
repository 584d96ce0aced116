/**
 * What the runner tells us about this run: the `GITHUB_*` variables and the
 * event payload file. Read directly (rather than through `@actions/github`'s
 * context) so the bundle does not carry Octokit, and so every field is
 * validated: a payload of an unexpected shape is treated as "no PR".
 */
import { readFileSync } from "node:fs";

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  /** Base branch name, e.g. main. */
  baseRef: string;
  /** True when the head lives in another repository (a fork). */
  fromFork: boolean;
  /** owner/name of the head's repository (null when the payload does not say, e.g. a deleted fork). */
  headRepository: string | null;
}

/** The run that triggered a `workflow_run` event (`github.event.workflow_run`). */
export interface WorkflowRunInfo {
  /** That run's id; null when the payload does not give a valid one. */
  id: number | null;
  /** Attempt of that run (1 when the payload does not say). */
  runAttempt: number;
  /** Run number of that run (`run_number`); absent when the payload does not give a valid one. */
  runNumber?: number;
  /** Commit that run ran on (lower case); null when the payload lacks a valid one. */
  headSha: string | null;
  /** owner/name of the repository of that commit (the fork, for a fork PR). */
  headRepository: string | null;
  /** The event that started that run, e.g. pull_request. */
  event: string | null;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit the workflow runs on (for PRs: usually the merge commit). */
  sha: string;
  runId: number;
  runAttempt: number;
  /** GITHUB_RUN_NUMBER (grows by one with each run of the workflow); absent when unknown. */
  runNumber?: number;
  serverUrl: string;
  apiUrl: string;
  graphqlUrl: string;
  workspace: string;
  pullRequest: PullRequestInfo | null;
  /** For push events: the commit before the push, when there was one. */
  pushBefore: string | null;
  /** GITHUB_REF, e.g. refs/heads/main. */
  ref: string;
  /** The repository's default branch (from the event payload), when known. */
  defaultBranch: string | null;
  /** For workflow_run events: the run that triggered this one. */
  workflowRun?: WorkflowRunInfo | null;
}

const ZERO_SHA = /^0+$/;

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const apiUrl = env.GITHUB_API_URL || "https://api.github.com";
  const before = stringAt(payload, ["before"]);
  return {
    eventName,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? "",
    runId: integer(env.GITHUB_RUN_ID),
    runAttempt: integer(env.GITHUB_RUN_ATTEMPT) || 1,
    runNumber: integer(env.GITHUB_RUN_NUMBER) || undefined,
    serverUrl: (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
    apiUrl,
    graphqlUrl: env.GITHUB_GRAPHQL_URL || `${apiUrl.replace(/\/+$/, "")}/graphql`,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    pullRequest: eventName.startsWith("pull_request") ? pullRequestOf(payload, `${owner}/${repo}`) : null,
    pushBefore: eventName === "push" && before && /^[0-9a-f]{40,64}$/i.test(before) && !ZERO_SHA.test(before) ? before : null,
    ref: env.GITHUB_REF ?? "",
    defaultBranch: stringAt(payload, ["repository", "default_branch"]) ?? null,
    workflowRun: eventName === "workflow_run" ? workflowRunOf(payload) : null,
  };
}

function pullRequestOf(payload: unknown, repository: string): PullRequestInfo | null {
  const number = valueAt(payload, ["pull_request", "number"]) ?? valueAt(payload, ["number"]);
  const baseSha = stringAt(payload, ["pull_request", "base", "sha"]);
  const headSha = stringAt(payload, ["pull_request", "head", "sha"]);
  if (typeof number !== "number" || !Number.isSafeInteger(number) || !baseSha || !headSha) return null;
  const headRepo = stringAt(payload, ["pull_request", "head", "repo", "full_name"]);
  return {
    number,
    baseSha,
    headSha,
    baseRef: stringAt(payload, ["pull_request", "base", "ref"]) ?? "base",
    // A deleted fork has no head repository: unknown counts as untrusted.
    fromFork: headRepo === null || headRepo.toLowerCase() !== repository.toLowerCase(),
    headRepository: headRepo,
  };
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

function workflowRunOf(payload: unknown): WorkflowRunInfo | null {
  const run = valueAt(payload, ["workflow_run"]);
  if (typeof run !== "object" || run === null) return null;
  const id = valueAt(run, ["id"]);
  const attempt = valueAt(run, ["run_attempt"]);
  const runNumber = valueAt(run, ["run_number"]);
  const headSha = stringAt(run, ["head_sha"]);
  return {
    id: typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : null,
    runAttempt: typeof attempt === "number" && Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1,
    runNumber: typeof runNumber === "number" && Number.isSafeInteger(runNumber) && runNumber > 0 ? runNumber : undefined,
    headSha: headSha !== null && SHA.test(headSha) ? headSha.toLowerCase() : null,
    headRepository: stringAt(run, ["head_repository", "full_name"]),
    event: stringAt(run, ["event"]),
  };
}

function readPayload(path: string | undefined): unknown {
  if (!path) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return null;
  }
}

function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function stringAt(value: unknown, path: string[]): string | null {
  const found = valueAt(value, path);
  return typeof found === "string" && found !== "" ? found : null;
}

function integer(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : 0;
}
