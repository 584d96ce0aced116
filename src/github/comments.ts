/**
 * The sticky PR comment: find ours, then update / recreate / hide / delete it
 * according to the comment mode.
 *
 * "Ours" = the body contains the report's hidden marker AND the author is the
 * token's own user. `GET /user` answers for personal tokens; for the Actions
 * `GITHUB_TOKEN` (and app tokens) it fails, and the author of comments made
 * with that token is `github-actions[bot]`.
 *
 * Racing runs (two pushes in quick succession), in `update` mode:
 * - every body carries a run stamp (see run-stamp.ts); a run never overwrites
 *   or replaces a comment stamped by a newer run (it re-reads the comment just
 *   before writing it);
 * - when no comment exists, both runs may create one. After creating, a run
 *   lists again: the oldest of our comments survives; a run whose comment is
 *   not the survivor writes its body into the survivor (unless the survivor
 *   is newer) and deletes its own. So the PR ends with one comment holding
 *   the newest result. The remaining window (between the re-read and the
 *   write, a few milliseconds) cannot be closed without a lock GitHub does not
 *   offer.
 */
import type { GitHubClient } from "./client.js";
import { isNotFound, isValidationError } from "./errors.js";
import { compareStamps, parseStamp, withStamp, type RunStamp } from "./run-stamp.js";

export const COMMENT_MODES = ["update", "new", "hide-and-new", "delete-and-new", "off"] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/** GitHub's limit for an issue comment body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

export interface IssueComment {
  id: number;
  node_id: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
}

export interface PublishOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker that identifies the report (first line of the body). */
  marker: string;
  body: string;
  stamp: RunStamp;
  mode: CommentMode;
  /** In update mode with no existing comment: create one (default) or do nothing. */
  createIfMissing?: boolean;
  /** Short body used when GitHub rejects `body` (422, e.g. too long). Must contain the marker. */
  fallbackBody?: string;
}

export type PublishAction = "created" | "updated" | "skipped-stale" | "skipped" | "off";

export interface PublishResult {
  action: PublishAction;
  url: string | null;
  commentId: number | null;
  hidden: number;
  deleted: number;
  /** Set when the fallback body was posted instead of the report. */
  usedFallback: boolean;
}

/** Whether a comment carrying the marker was written by this token's user. */
export type OwnAuthor = (comment: IssueComment, marker: string) => boolean;

/**
 * The token's own comments. A personal token names its user through
 * GET /user. GITHUB_TOKEN and GitHub App installation tokens cannot call it:
 * they post as `github-actions[bot]` or as the app's `<slug>[bot]`. Then a
 * `github-actions[bot]` comment with the marker is ours, and another bot's
 * only when the comment starts with the marker, as ours always do (another
 * app quoting or mentioning our report is left alone); a person's never is.
 */
export async function resolveOwnAuthor(client: GitHubClient): Promise<OwnAuthor> {
  try {
    const response = await client.request<{ login?: unknown }>("GET", "/user");
    const login = response.data?.login;
    if (typeof login === "string") return (comment) => comment.user?.login === login;
  } catch {
    // GITHUB_TOKEN and app tokens cannot call GET /user.
  }
  return (comment, marker) => {
    const user = comment.user;
    if (!user) return false;
    if (user.login === ACTIONS_BOT_LOGIN) return true;
    return user.type === "Bot" && user.login.endsWith("[bot]") && (comment.body ?? "").startsWith(marker);
  };
}

export async function listOurComments(
  client: GitHubClient,
  target: { owner: string; repo: string; issueNumber: number; marker: string },
  isOwn: OwnAuthor,
): Promise<IssueComment[]> {
  const all = await client.paginate<IssueComment>(`${issuePath(target)}/comments`);
  return all
    .filter((c) => typeof c.body === "string" && c.body.includes(target.marker) && c.user !== null && isOwn(c, target.marker))
    .sort((a, b) => a.id - b.id);
}

export async function publishComment(client: GitHubClient, options: PublishOptions): Promise<PublishResult> {
  const result: PublishResult = { action: "off", url: null, commentId: null, hidden: 0, deleted: 0, usedFallback: false };
  if (options.mode === "off") return result;

  const isOwn = await resolveOwnAuthor(client);
  const ours = await listOurComments(client, options, isOwn);
  const newest = ours.map((c) => parseStamp(c.body ?? "")).reduce<RunStamp | null>((a, b) => (compareStamps(a, b) >= 0 ? a : b), null);
  if (ours.length > 0 && compareStamps(newest, options.stamp) > 0) {
    const latest = ours[ours.length - 1];
    return { ...result, action: "skipped-stale", url: latest?.html_url ?? null, commentId: latest?.id ?? null };
  }

  if (options.mode === "update") {
    const [target, ...duplicates] = ours;
    if (target === undefined) {
      if (options.createIfMissing === false) return { ...result, action: "skipped" };
      const created = await createComment(client, options, result);
      return settleRace(client, options, isOwn, created, result);
    }
    const fresh = await getComment(client, options, target.id);
    if (fresh && compareStamps(parseStamp(fresh.body ?? ""), options.stamp) > 0) {
      return { ...result, action: "skipped-stale", url: fresh.html_url, commentId: fresh.id };
    }
    const updated = await updateComment(client, options, target.id, result);
    for (const duplicate of duplicates) result.deleted += (await deleteComment(client, options, duplicate.id)) ? 1 : 0;
    return { ...result, action: "updated", url: updated.html_url, commentId: updated.id };
  }

  // new / hide-and-new / delete-and-new: post first, so a failure (403) leaves the old comment in place.
  const created = await createComment(client, options, result);
  if (options.mode === "hide-and-new") {
    for (const old of ours) {
      await minimizeComment(client, old.node_id);
      result.hidden += 1;
    }
  } else if (options.mode === "delete-and-new") {
    for (const old of ours) result.deleted += (await deleteComment(client, options, old.id)) ? 1 : 0;
  }
  return { ...result, action: "created", url: created.html_url, commentId: created.id };
}

/** After creating in update mode: if another run created one too, keep the oldest comment only. */
async function settleRace(
  client: GitHubClient,
  options: PublishOptions,
  isOwn: OwnAuthor,
  created: IssueComment,
  result: PublishResult,
): Promise<PublishResult> {
  const ours = await listOurComments(client, options, isOwn);
  const survivor = ours[0];
  if (survivor === undefined || survivor.id === created.id) {
    return { ...result, action: "created", url: created.html_url, commentId: created.id };
  }
  const fresh = (await getComment(client, options, survivor.id)) ?? survivor;
  result.deleted += (await deleteComment(client, options, created.id)) ? 1 : 0;
  if (compareStamps(parseStamp(fresh.body ?? ""), options.stamp) > 0) {
    return { ...result, action: "skipped-stale", url: fresh.html_url, commentId: fresh.id };
  }
  const updated = await updateComment(client, options, survivor.id, result);
  return { ...result, action: "updated", url: updated.html_url, commentId: updated.id };
}

async function createComment(client: GitHubClient, options: PublishOptions, result: PublishResult): Promise<IssueComment> {
  return withFallback(options, result, async (body) => {
    const response = await client.request<IssueComment>("POST", `${issuePath(options)}/comments`, { body: { body } });
    return response.data;
  });
}

async function updateComment(client: GitHubClient, options: PublishOptions, id: number, result: PublishResult): Promise<IssueComment> {
  return withFallback(options, result, async (body) => {
    const response = await client.request<IssueComment>("PATCH", `${repoPath(options)}/issues/comments/${id}`, { body: { body } });
    return response.data;
  });
}

/** Sends the report; on 422 (body too long or otherwise rejected) sends the short fallback once. */
async function withFallback(options: PublishOptions, result: PublishResult, send: (body: string) => Promise<IssueComment>): Promise<IssueComment> {
  const body = withStamp(options.body, options.stamp);
  try {
    return await send(body);
  } catch (error) {
    if (!isValidationError(error)) throw error;
    const fallback = withStamp(options.fallbackBody ?? defaultFallback(options.marker, body.length), options.stamp);
    result.usedFallback = true;
    return await send(fallback);
  }
}

function defaultFallback(marker: string, length: number): string {
  return `${marker}\n\nThe sam-fitness report (${length} characters) could not be posted as a comment; it is in the job summary of this run.`;
}

async function getComment(client: GitHubClient, options: PublishOptions, id: number): Promise<IssueComment | null> {
  try {
    return (await client.request<IssueComment>("GET", `${repoPath(options)}/issues/comments/${id}`)).data;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Deletes a comment; a comment already gone (404) counts as not deleted, not as an error. */
async function deleteComment(client: GitHubClient, options: PublishOptions, id: number): Promise<boolean> {
  try {
    await client.request("DELETE", `${repoPath(options)}/issues/comments/${id}`);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

const MINIMIZE_MUTATION = `mutation($id: ID!) {
  minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
}`;

export async function minimizeComment(client: GitHubClient, nodeId: string): Promise<void> {
  await client.graphql(MINIMIZE_MUTATION, { id: nodeId });
}

function repoPath(target: { owner: string; repo: string }): string {
  return `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`;
}

function issuePath(target: { owner: string; repo: string; issueNumber: number }): string {
  return `${repoPath(target)}/issues/${target.issueNumber}`;
}
