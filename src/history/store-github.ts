/**
 * History on a branch of the repository (`history: branch[:<name>]`), read
 * and written through the contents API so that it works from a shallow
 * checkout. Each write carries the blob SHA it read: when another run wrote
 * in between, GitHub answers 409/422, and the file is read again, the records
 * merged in and the write tried again, a bounded number of times. The branch
 * is created from the default branch's head on first use. A file that is not
 * a valid history stops the run with an error and is never overwritten.
 */
import { GitHubApi, messageOf } from "./github-api.js";
import type { ApiOptions } from "./github-api.js";
import { DEFAULT_HISTORY_BRANCH, DEFAULT_HISTORY_PATH } from "./option.js";
import { parseHistory, serializeHistory } from "./parse.js";
import { appendRecords } from "./record.js";
import { DEFAULT_HISTORY_LIMIT, HistoryError, emptyHistory } from "./types.js";
import type { HistoryFile, HistoryRecord } from "./types.js";

export interface BranchStoreOptions
  extends Omit<ApiOptions, "baseUrl" | "source"> {
  owner: string;
  repo: string;
  /** Default `sam-fitness-history`. */
  branch?: string;
  /** Default `fitness-history.json`. */
  path?: string;
  /** Default GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  /** Records kept (default 500). */
  limit?: number;
  /** Writes tried when other runs keep writing in between (default 5). */
  conflictAttempts?: number;
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

class BranchStore {
  readonly api: GitHubApi;
  readonly branch: string;
  readonly path: string;
  readonly source: string;
  private readonly repoPath: string;

  constructor(readonly options: BranchStoreOptions) {
    this.branch = options.branch ?? DEFAULT_HISTORY_BRANCH;
    this.path = options.path ?? DEFAULT_HISTORY_PATH;
    this.source = `${options.owner}/${options.repo}@${this.branch}:${this.path}`;
    this.repoPath = `/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`;
    this.api = new GitHubApi({
      ...options,
      baseUrl: options.baseUrl ?? process.env["GITHUB_API_URL"] ?? "https://api.github.com",
      source: this.source,
    });
  }

  private fail(what: string, status: number, data: unknown): HistoryError {
    const message = messageOf(data);
    return new HistoryError(`${what} for history ${this.source} failed: HTTP ${status}${message ? ` (${message})` : ""}.`, this.source);
  }

  async read(): Promise<BranchRead> {
    const query = new URLSearchParams({ ref: this.branch });
    const response = await this.api.request("GET", `${this.repoPath}/contents/${segments(this.path)}?${query.toString()}`);
    if (response.status === 404) return { file: emptyHistory(), sha: null, text: null };
    if (response.status !== 200) throw this.fail("Reading the file", response.status, response.data);
    const data = response.data;
    const sha = field(data, "sha");
    if (field(data, "type") !== "file" || typeof sha !== "string") {
      throw new HistoryError(`History ${this.source} is not a file (a folder or a link is there). It was left as it is.`, this.source);
    }
    let content = field(data, "content");
    let encoding = field(data, "encoding");
    if (typeof content !== "string" || encoding !== "base64" || (content.length === 0 && field(data, "size") !== 0)) {
      // Files over 1 MB come without content: read the blob instead.
      const blob = await this.api.request("GET", `${this.repoPath}/git/blobs/${encodeURIComponent(sha)}`);
      if (blob.status !== 200) throw this.fail("Reading the file's blob", blob.status, blob.data);
      content = field(blob.data, "content");
      encoding = field(blob.data, "encoding");
      if (typeof content !== "string" || encoding !== "base64") {
        throw new HistoryError(`History ${this.source} came back in an unexpected form (encoding ${String(encoding)}).`, this.source);
      }
    }
    const text = Buffer.from(content, "base64").toString("utf8");
    return { file: parseHistory(text, this.source), sha, text };
  }

  /** Creates the branch from the default branch's head unless it exists. */
  async ensureBranch(): Promise<void> {
    const ref = await this.api.request("GET", `${this.repoPath}/git/ref/heads/${segments(this.branch)}`);
    if (ref.status === 200) return;
    if (ref.status !== 404) throw this.fail(`Looking up branch ${this.branch}`, ref.status, ref.data);
    const repository = await this.api.request("GET", this.repoPath);
    const defaultBranch = field(repository.data, "default_branch");
    if (repository.status !== 200 || typeof defaultBranch !== "string") {
      throw this.fail("Reading the repository's default branch", repository.status, repository.data);
    }
    const head = await this.api.request("GET", `${this.repoPath}/git/ref/heads/${segments(defaultBranch)}`);
    const headSha = field(field(head.data, "object"), "sha");
    if (head.status !== 200 || typeof headSha !== "string") {
      throw this.fail(`Reading the head of ${defaultBranch}`, head.status, head.data);
    }
    const created = await this.api.request("POST", `${this.repoPath}/git/refs`, { ref: `refs/heads/${this.branch}`, sha: headSha });
    // 422: another run created it in between, which is as good.
    if (created.status !== 201 && created.status !== 422) throw this.fail(`Creating branch ${this.branch}`, created.status, created.data);
    this.options.log?.(`Created branch ${this.branch} for the fitness history.`);
  }

  /** One try at writing `text` over the blob `sha` (null: a new file). Returns the commit SHA, or null on a conflict. */
  async write(text: string, sha: string | null, message: string): Promise<{ commit: string } | { conflict: string }> {
    const body: Record<string, unknown> = {
      message,
      content: Buffer.from(text, "utf8").toString("base64"),
      branch: this.branch,
    };
    if (sha !== null) body["sha"] = sha;
    const response = await this.api.request("PUT", `${this.repoPath}/contents/${segments(this.path)}`, body);
    if (response.status === 200 || response.status === 201) {
      const commit = field(field(response.data, "commit"), "sha");
      return { commit: typeof commit === "string" ? commit : "" };
    }
    if (response.status === 409 || response.status === 422) {
      return { conflict: `HTTP ${response.status}${messageOf(response.data) ? ` (${messageOf(response.data)})` : ""}` };
    }
    throw this.fail("Writing the file", response.status, response.data);
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
 * record: a conflicting write is re-read, merged and tried again.
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
  const attempts = Math.max(1, Math.floor(options.conflictAttempts ?? 5));
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  let lastConflict = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await store.read();
    if (current.sha === null) await store.ensureBranch();
    const next = appendRecords(current.file, records, limit);
    const text = serializeHistory(next);
    if (current.text !== null && text === serializeHistory(current.file)) {
      return { file: next, written: false, attempts: attempt, commit: null };
    }
    const outcome = await store.write(text, current.sha, commitMessage(records));
    if ("commit" in outcome) return { file: next, written: true, attempts: attempt, commit: outcome.commit || null };
    lastConflict = outcome.conflict;
    if (attempt < attempts) {
      options.log?.(`History ${store.source} changed while writing (${lastConflict}); reading it again (try ${attempt + 1} of ${attempts}).`);
      // Spread out runs that collided so that they do not collide again.
      await store.api.sleep(Math.round((options.baseDelayMs ?? 1000) * attempt * (0.5 + Math.random())));
    }
  }
  throw new HistoryError(
    `History ${store.source} kept changing while writing: gave up after ${attempts} tries (last: ${lastConflict}). No record was lost from the file; this run's records were not added.`,
    store.source,
  );
}
