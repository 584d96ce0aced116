/**
 * Pull request files and file contents at a commit, for when the checkout
 * does not hold what the action needs.
 */
import type { GitHubClient } from "./client.js";
import { GitHubApiError, isNotFound } from "./errors.js";

export type PullFileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface PullFile {
  filename: string;
  status: PullFileStatus;
  /** For renamed files: the path in the base. */
  previous_filename?: string;
}

/** Every file of a pull request (GitHub lists at most 3,000). */
export async function listPullFiles(
  client: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
): Promise<PullFile[]> {
  const raw = await client.paginate<Partial<PullFile>>(
    `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/pulls/${target.pullNumber}/files`,
  );
  return raw
    .filter((f): f is PullFile => typeof f.filename === "string" && typeof f.status === "string")
    .map((f) => ({
      filename: f.filename,
      status: f.status,
      ...(typeof f.previous_filename === "string" ? { previous_filename: f.previous_filename } : {}),
    }));
}

/**
 * A file's text at a commit via the contents API (raw media type), or null
 * when the path does not exist at that commit. Directories and other
 * non-file answers count as missing.
 */
export async function getFileAtRef(
  client: GitHubClient,
  target: { owner: string; repo: string; path: string; ref: string },
): Promise<string | null> {
  const encodedPath = target.path.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  const url = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/contents/${encodedPath}?ref=${encodeURIComponent(target.ref)}`;
  try {
    const response = await client.request<string>("GET", url, { accept: "application/vnd.github.raw+json", raw: true });
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("json") && looksLikeDirectoryListing(response.data)) return null;
    return response.data;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error instanceof GitHubApiError ? error : new GitHubApiError(0, "GET", url, String(error));
  }
}

function looksLikeDirectoryListing(text: string): boolean {
  if (!text.startsWith("[")) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((e) => typeof e === "object" && e !== null && "type" in e && "path" in e);
  } catch {
    return false;
  }
}

export interface PullRequestHead {
  number: number;
  /** Head commit SHA, lower case. */
  headSha: string;
  /** owner/name of the head's repository; null when the fork was deleted. */
  headRepository: string | null;
}

/** `GET /repos/{owner}/{repo}/pulls/{number}`, reduced to what identifies its head; null when there is no such PR. */
export async function getPullRequestHead(
  client: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number },
): Promise<PullRequestHead | null> {
  const path = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/pulls/${target.pullNumber}`;
  let data: unknown;
  try {
    data = (await client.request<unknown>("GET", path)).data;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const head = typeof data === "object" && data !== null ? (data as { head?: unknown }).head : undefined;
  const sha = typeof head === "object" && head !== null ? (head as { sha?: unknown }).sha : undefined;
  if (typeof sha !== "string" || sha === "") throw new Error(`GitHub API GET ${path} answered without a head.sha`);
  const repo = (head as { repo?: unknown }).repo;
  const fullName = typeof repo === "object" && repo !== null ? (repo as { full_name?: unknown }).full_name : undefined;
  return { number: target.pullNumber, headSha: sha.toLowerCase(), headRepository: typeof fullName === "string" ? fullName : null };
}
