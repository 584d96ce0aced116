/**
 * History on a branch of the repository (`history: branch[:<name>]`), read
 * and written through the GitHub API so that it works from a shallow
 * checkout. Requests go through the shared `GitHubClient`, which waits out
 * rate limits and retries server and network errors; this module only gives
 * meaning to the answers: 404 is "no file (or no branch) yet", 409/422 on a
 * write is "someone else wrote first".
 *
 * The branch is created on first use as an orphan branch (a root commit
 * whose tree holds only the history file), never from the default branch.
 * Later writes go through the contents API with the blob SHA that was read:
 * when another run wrote in between, GitHub refuses the write, and the file
 * is read again, the records merged in and the write tried again after a
 * jittered exponential backoff (250 ms doubling, capped at 5 s, full jitter),
 * for as long as a time budget allows (60 s): many runs finishing together
 * each land in turn, however often they collide. Two runs creating the branch
 * at the same time settle the same way: one creates the ref, the other is told
 * it already exists and appends. When the budget is spent the write stops with
 * a HistoryConflictError (the records are not added, nothing is lost from the
 * file). A file that is not a valid history stops the run with an error and is
 * never overwritten.
 */
import { GitHubClient } from "../github/client.js";
import { GitHubApiError } from "../github/errors.js";
import { DEFAULT_HISTORY_BRANCH, DEFAULT_HISTORY_PATH } from "./option.js";
import { parseHistory, serializeHistory } from "./parse.js";
import { appendRecords } from "./record.js";
import { DEFAULT_HISTORY_LIMIT, HistoryError, emptyHistory } from "./types.js";
import type { HistoryFile, HistoryRecord } from "./types.js";

export interface BranchStoreOptions {
  owner: string;
  repo: string;
  /** Default `sam-fitness-history`. */
  branch?: string;
  /** Default `fitness-history.json`. */
  path?: string;
  /** Records kept (default 500). */
  limit?: number;
  /**
   * How long to keep trying when other runs keep writing in between (default
   * 60 s), from the start of the append; the file is read again before every try.
   */
  conflictBudgetMs?: number;
  /** First wait after a conflict, doubling with each one (default 250 ms); each wait is drawn at random below it (full jitter). */
  conflictBackoffMs?: number;
  /** Longest wait between conflicting tries, before jitter (default 5 s). */
  conflictBackoffMaxMs?: number;
  /**
   * A ready client to send the requests through. When given, the connection
   * settings below (token, baseUrl, requestAttempts, backoffMs,
   * maxRateLimitWaitMs, timeoutMs) are the client's business and not used.
   */
  client?: GitHubClient;
  /** Token for the API; needed unless `client` is given. */
  token?: string;
  /** API root; default GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  /** Tries per request for rate limits, server errors and network failures (default 4). */
  requestAttempts?: number;
  /** First backoff for server errors and network failures, doubling (default 1 s). */
  backoffMs?: number;
  /** Longest rate-limit wait accepted; a limit that resets later is reported instead (default 5 min). */
  maxRateLimitWaitMs?: number;
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
  /** Waits: rate limits, request retries and conflict backoff (injected for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock the conflict budget is measured on, in ms (default Date.now; injected for tests). */
  now?: () => number;
  /** A number in [0, 1) for the backoff jitter (default Math.random; injected for tests). */
  random?: () => number;
  log?: (message: string) => void;
}

export interface BranchRead {
  file: HistoryFile;
  /** Blob SHA of the file read; null when there is no file (or no branch) yet. */
  sha: string | null;
  /** The file's text as read; null when there is none. */
  text: string | null;
}

export interface BranchAppendResult {
  file: HistoryFile;
  /** False when the records were already in the file as given. */
  written: boolean;
  /** Writes tried (1 when nobody else wrote in between). */
  attempts: number;
  /** The commit made, when one was. */
  commit: string | null;
}

type WriteOutcome = { commit: string } | { conflict: string };

/**
 * The records could not be written because other runs kept writing the file
 * for the whole time budget. Nothing was lost from the file; this run's
 * records are not in it.
 */
export class HistoryConflictError extends HistoryError {
  constructor(
    message: string,
    source: string,
    /** Writes tried. */
    readonly attempts: number,
    /** Time spent trying, in ms. */
    readonly elapsedMs: number,
    /** How the last write was refused, e.g. `HTTP 409 (...)`. */
    readonly lastConflict: string,
  ) {
    super(message, source);
  }
}

/** How GitHub words a write refused by branch protection or a repository ruleset (not a concurrent write). */
const REFUSAL = /rule violation|protected branch|protected ref|must be made through a pull request|required status check/i;

/** An answer, or a refusal with one of the statuses the caller said it handles. */
type Answer = { ok: true; data: unknown } | { ok: false; error: GitHubApiError };

const DEFAULT_REQUEST_ATTEMPTS = 4;
const DEFAULT_BACKOFF_MS = 1_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;
const DEFAULT_CONFLICT_BUDGET_MS = 60_000;
const DEFAULT_CONFLICT_BACKOFF_MS = 250;
const DEFAULT_CONFLICT_BACKOFF_MAX_MS = 5_000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function segments(path: string): string {
  return path
    .split("/")
    .filter((part) => part.length > 0)
    .map(encodeURIComponent)
    .join("/");
}

function field(data: unknown, key: string): unknown {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[key] : undefined;
}

function clientFor(options: BranchStoreOptions): GitHubClient {
  if (options.client) return options.client;
  return new GitHubClient({
    token: options.token ?? "",
    apiUrl: options.baseUrl ?? process.env["GITHUB_API_URL"] ?? undefined,
    retries: Math.max(1, Math.floor(options.requestAttempts ?? DEFAULT_REQUEST_ATTEMPTS)) - 1,
    backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

class BranchStore {
  readonly client: GitHubClient;
  readonly branch: string;
  readonly path: string;
  readonly source: string;
  private readonly repoPath: string;

  constructor(readonly options: BranchStoreOptions) {
    this.branch = options.branch ?? DEFAULT_HISTORY_BRANCH;
    this.path = options.path ?? DEFAULT_HISTORY_PATH;
    this.source = `${options.owner}/${options.repo}@${this.branch}:${this.path}`;
    this.repoPath = `/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`;
    this.client = clientFor(options);
  }

  /** A failed request as a HistoryError that names the history and what was being done. */
  private failure(what: string, error: unknown): HistoryError {
    if (!(error instanceof GitHubApiError)) {
      const reason = error instanceof Error ? error.message : String(error);
      return new HistoryError(`${what} for history ${this.source} failed: ${reason}.`, this.source);
    }
    if (error.rateLimit) {
      const { waitMs, maxWaitMs } = error.rateLimit;
      return new HistoryError(
        `${what} for history ${this.source} was rate limited (HTTP ${error.status}); GitHub asks to wait ${Math.ceil(waitMs / 1000)} s, longer than the ${Math.ceil(maxWaitMs / 1000)} s allowed. Run again later.`,
        this.source,
      );
    }
    const problem =
      error.status === 0
        ? `network error (${error.apiMessage})`
        : `${error.status >= 500 ? "server error " : ""}HTTP ${error.status} (${error.apiMessage})`;
    const tries = error.attempts > 1 ? ` after ${error.attempts} tries` : "";
    return new HistoryError(`${what} for history ${this.source} failed${tries}: ${problem}.`, this.source);
  }

  /** Sends one request; a refusal whose status is in `handled` is returned, any other failure thrown as a HistoryError. */
  private async call(what: string, method: string, path: string, body?: unknown, handled: readonly number[] = []): Promise<Answer> {
    try {
      const response = await this.client.request<unknown>(method, path, body === undefined ? {} : { body });
      return { ok: true, data: response.data };
    } catch (error) {
      if (error instanceof GitHubApiError && handled.includes(error.status)) return { ok: false, error };
      throw this.failure(what, error);
    }
  }

  /** Sends one request that must succeed, and returns the string at `key` of its answer. */
  private async createObject(what: string, path: string, body: unknown, key = "sha"): Promise<string> {
    const answer = await this.call(what, "POST", path, body);
    const value = answer.ok ? field(answer.data, key) : undefined;
    if (typeof value !== "string" || value.length === 0) {
      throw new HistoryError(`${what} for history ${this.source} gave an answer without a ${key}.`, this.source);
    }
    return value;
  }

  async read(): Promise<BranchRead> {
    const query = new URLSearchParams({ ref: this.branch });
    const answer = await this.call("Reading the file", "GET", `${this.repoPath}/contents/${segments(this.path)}?${query.toString()}`, undefined, [404]);
    if (!answer.ok) return { file: emptyHistory(), sha: null, text: null };
    const data = answer.data;
    const sha = field(data, "sha");
    if (field(data, "type") !== "file" || typeof sha !== "string") {
      throw new HistoryError(`History ${this.source} is not a file (a folder or a link is there). It was left as it is.`, this.source);
    }
    let content = field(data, "content");
    let encoding = field(data, "encoding");
    if (typeof content !== "string" || encoding !== "base64" || (content.length === 0 && field(data, "size") !== 0)) {
      // Files over 1 MB come without content: read the blob instead.
      const blob = await this.call("Reading the file's blob", "GET", `${this.repoPath}/git/blobs/${encodeURIComponent(sha)}`);
      const blobData = blob.ok ? blob.data : undefined;
      content = field(blobData, "content");
      encoding = field(blobData, "encoding");
      if (typeof content !== "string" || encoding !== "base64") {
        throw new HistoryError(`History ${this.source} came back in an unexpected form (encoding ${String(encoding)}).`, this.source);
      }
    }
    const text = Buffer.from(content, "base64").toString("utf8");
    return { file: parseHistory(text, this.source), sha, text };
  }

  /** Whether the history branch exists. */
  async branchExists(): Promise<boolean> {
    const answer = await this.call(`Looking up branch ${this.branch}`, "GET", `${this.repoPath}/git/ref/heads/${segments(this.branch)}`, undefined, [404]);
    return answer.ok;
  }

  /**
   * One try at writing `text` where there is no file yet: on the existing
   * branch through the contents API, or, with no branch, as a new orphan
   * branch whose only commit holds only the file.
   */
  async writeNew(text: string, message: string): Promise<WriteOutcome> {
    if (await this.branchExists()) return this.update(text, null, message);
    return this.createBranch(text, message);
  }

  /** One try at creating the branch: blob, tree without a base, root commit, then the ref. */
  async createBranch(text: string, message: string): Promise<WriteOutcome> {
    const git = `${this.repoPath}/git`;
    const blob = await this.createObject("Storing the file", `${git}/blobs`, { content: Buffer.from(text, "utf8").toString("base64"), encoding: "base64" });
    const tree = await this.createObject("Making the branch's tree", `${git}/trees`, {
      tree: [{ path: this.path.split("/").filter((part) => part.length > 0).join("/"), mode: "100644", type: "blob", sha: blob }],
    });
    const commit = await this.createObject("Making the branch's first commit", `${git}/commits`, { message, tree, parents: [] });
    const ref = await this.call(`Creating branch ${this.branch}`, "POST", `${git}/refs`, { ref: `refs/heads/${this.branch}`, sha: commit }, [422]);
    if (!ref.ok) {
      // Another run created the branch in between: read its file and append to it.
      if (/already exists/i.test(ref.error.apiMessage)) return { conflict: `HTTP 422 (${ref.error.apiMessage})` };
      throw this.failure(`Creating branch ${this.branch}`, ref.error);
    }
    this.options.log?.(`Created branch ${this.branch} for the fitness history; it holds only ${this.path}.`);
    return { commit };
  }

  /** One try at writing `text` over the blob `sha` (null: a new file) through the contents API. */
  async update(text: string, sha: string | null, message: string): Promise<WriteOutcome> {
    const body: Record<string, unknown> = {
      message,
      content: Buffer.from(text, "utf8").toString("base64"),
      branch: this.branch,
    };
    if (sha !== null) body["sha"] = sha;
    const answer = await this.call("Writing the file", "PUT", `${this.repoPath}/contents/${segments(this.path)}`, body, [409, 422]);
    if (!answer.ok) {
      // 409/422 mostly mean another run wrote the file first (a stale or missing sha); a branch protection or
      // ruleset refusal uses the same codes and must not be retried as if it were one.
      if (REFUSAL.test(answer.error.apiMessage)) {
        throw new HistoryError(
          `Writing the file for history ${this.source} was refused: HTTP ${answer.error.status} (${answer.error.apiMessage}). ` +
            "The history branch must accept direct pushes from this token: exempt it from the branch protection or ruleset, or use another branch (history: branch:<name>).",
          this.source,
        );
      }
      return { conflict: `HTTP ${answer.error.status} (${answer.error.apiMessage})` };
    }
    const commit = field(field(answer.data, "commit"), "sha");
    return { commit: typeof commit === "string" ? commit : "" };
  }
}

/** Reads the history from the branch; no branch or no file yet is an empty history. */
export async function readBranchHistory(options: BranchStoreOptions): Promise<HistoryFile> {
  return (await new BranchStore(options).read()).file;
}

function commitMessage(records: readonly HistoryRecord[]): string {
  const shas = [...new Set(records.map((record) => record.sha.slice(0, 12)))];
  const which = shas.length === 0 ? "" : ` for ${shas.slice(0, 3).join(", ")}${shas.length > 3 ? ", ..." : ""}`;
  return `sam-fitness: record fitness${which} [skip ci]`;
}

/**
 * Adds records to the history on the branch, creating the branch and the file
 * on first use, and keeping the last `limit` records. Concurrent runs lose no
 * record: a conflicting write is re-read, merged and tried again, with a
 * jittered exponential backoff, until `conflictBudgetMs` is spent; then a
 * HistoryConflictError says how many tries, how long and the last conflict.
 */
export async function appendBranchHistory(
  options: BranchStoreOptions,
  records: readonly HistoryRecord[],
): Promise<BranchAppendResult> {
  const store = new BranchStore(options);
  if (records.length === 0) {
    // Nothing to add: do not create a branch or a commit for it.
    return { file: (await store.read()).file, written: false, attempts: 0, commit: null };
  }
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const budget = Math.max(0, options.conflictBudgetMs ?? DEFAULT_CONFLICT_BUDGET_MS);
  const base = Math.max(1, options.conflictBackoffMs ?? DEFAULT_CONFLICT_BACKOFF_MS);
  const cap = Math.max(base, options.conflictBackoffMaxMs ?? DEFAULT_CONFLICT_BACKOFF_MAX_MS);
  const message = commitMessage(records);
  const started = now();
  let lastConflict = "";
  for (let attempt = 1; ; attempt++) {
    // Always from the file as it is now: another run may have written since the last try.
    const current = await store.read();
    const next = appendRecords(current.file, records, limit);
    const text = serializeHistory(next);
    if (current.text !== null && text === serializeHistory(current.file)) {
      return { file: next, written: false, attempts: attempt, commit: null };
    }
    const outcome = current.sha === null ? await store.writeNew(text, message) : await store.update(text, current.sha, message);
    if ("commit" in outcome) return { file: next, written: true, attempts: attempt, commit: outcome.commit || null };
    lastConflict = outcome.conflict;
    const elapsed = now() - started;
    const remaining = budget - elapsed;
    if (remaining <= 0) {
      throw new HistoryConflictError(
        `History ${store.source} kept changing while writing: gave up after ${attempt} ${attempt === 1 ? "try" : "tries"} in ${seconds(elapsed)} s ` +
          `(last conflict: ${lastConflict}). No record was lost from the file; this run's ${records.length} record(s) were not added.`,
        store.source,
        attempt,
        elapsed,
        lastConflict,
      );
    }
    // Full jitter over a doubling, capped step spreads out runs that collided so that they do not collide again;
    // the last wait ends with the budget, for one more try then.
    const step = Math.min(cap, base * 2 ** Math.min(attempt - 1, 30));
    const wait = Math.min(remaining, Math.round(step * Math.min(1, Math.max(0, random()))));
    options.log?.(
      `History ${store.source} changed while writing (${lastConflict}); reading it again in ${wait} ms (try ${attempt + 1}, ${seconds(remaining)} s of ${seconds(budget)} s left).`,
    );
    await sleep(wait);
  }
}

/** Milliseconds as seconds for a message, to a tenth (`60`, `1.5`). */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
