/**
 * The sticky PR comment: find ours, then update / recreate / hide / delete it
 * according to the comment mode.
 *
 * "Ours" = the body contains the report's hidden marker AND the author is the
 * token's own user. `GET /user` answers for personal tokens; for the Actions
 * `GITHUB_TOKEN` (and app tokens) it fails, and the author of comments made
 * with that token is `github-actions[bot]`.
 *
 * Racing runs (two pushes in quick succession), in `update` mode. Every body
 * carries a run stamp (see run-stamp.ts) and the newer run must win:
 * - before writing, a run re-reads the comment and never overwrites (or
 *   folds into) a comment stamped by a newer run;
 * - when no comment exists, both runs may create one. After creating, a run
 *   lists again: the oldest of our comments survives; a run whose comment is
 *   not the survivor writes its body into the survivor (unless the survivor
 *   is newer) and deletes its own;
 * - after every write (update, create, fold) a run waits `settleMs` (1.5 s),
 *   re-reads the comment, and writes again (at most 3 times) while it holds
 *   an older run's stamp; its own or a newer stamp ends the check.
 *
 * Why the re-read after writing closes the race that the re-read before
 * writing leaves open: GitHub offers no compare-and-swap, so an older run A
 * can re-read (and see no newer stamp) just before a newer run B writes, and
 * A's write then lands after B's. But A's write reaches GitHub within one
 * request round trip after its re-read was answered, and that re-read was
 * answered before B's write landed. B re-reads `settleMs` after its write
 * was answered, which is longer than a round trip (tens to hundreds of ms),
 * so B's re-read sees A's write and B repairs it. A, re-reading after its own
 * write, sees its stamp or B's and stops: only the newer run ever repairs, so
 * the runs cannot take turns overwriting each other.
 *
 * The remaining limit: a write that reaches GitHub more than `settleMs` after
 * the re-read before it (a request stuck in a slow connection, or a write
 * sent again by the client's retries after a timeout or 5xx) can still land
 * after the newer run's last check, and then the older result stays until
 * the next run. A run that cannot re-read after writing (an API error) keeps
 * its write and stops checking. Without a lock, which GitHub does not offer,
 * this window can be made smaller but not closed.
 */
import type { GitHubClient } from "./client.js";
import { isNotFound, isValidationError } from "./errors.js";
import { compareStamps, parseStamp, withStamp, type RunStamp } from "./run-stamp.js";

export const COMMENT_MODES = ["update", "new", "hide-and-new", "delete-and-new", "off"] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/** GitHub's limit for an issue comment body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";
/** The one try GET /user gets (see resolveOwnAuthor). */
const USER_TIMEOUT_MS = 3_000;

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
  /** Update mode: how long to wait after a write before re-reading the comment. Default 1.5 s (see the module comment). */
  settleMs?: number;
  /** Injected for tests: the wait used for `settleMs`. */
  sleep?: (ms: number) => Promise<void>;
}

/** Default wait between a write and the re-read that checks it: well above an API round trip. */
export const DEFAULT_SETTLE_MS = 1_500;
/** Writes after the first one that the check after writing may make, so two confused runs cannot loop. */
const MAX_REPAIRS = 3;

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
    // Nothing needs this answer but the author check, and most tokens are refused at once: one short try,
    // made while the comments are listed, so a hanging GET /user cannot delay the comment.
    const response = await client.request<{ login?: unknown }>("GET", "/user", { retries: 0, timeoutMs: USER_TIMEOUT_MS });
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
  own: OwnAuthor | Promise<OwnAuthor>,
): Promise<IssueComment[]> {
  const [all, isOwn] = await Promise.all([client.paginate<IssueComment>(`${issuePath(target)}/comments`), own]);
  return all
    .filter((c) => typeof c.body === "string" && c.body.includes(target.marker) && c.user !== null && isOwn(c, target.marker))
    .sort((a, b) => a.id - b.id);
}

export async function publishComment(client: GitHubClient, options: PublishOptions): Promise<PublishResult> {
  const result: PublishResult = { action: "off", url: null, commentId: null, hidden: 0, deleted: 0, usedFallback: false };
  if (options.mode === "off") return result;

  const author = resolveOwnAuthor(client);
  const ours = await listOurComments(client, options, author);
  const isOwn = await author;
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
    await checkAfterWrite(client, options, updated.id, result);
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
  // A list that does not show the comment just created is stale: it cannot tell of other runs' comments either.
  if (survivor === undefined) return { ...result, action: "created", url: created.html_url, commentId: created.id };
  if (survivor.id === created.id) {
    await checkAfterWrite(client, options, created.id, result);
    return { ...result, action: "created", url: created.html_url, commentId: created.id };
  }
  const fresh = (await getComment(client, options, survivor.id)) ?? survivor;
  result.deleted += (await deleteComment(client, options, created.id)) ? 1 : 0;
  if (compareStamps(parseStamp(fresh.body ?? ""), options.stamp) > 0) {
    return { ...result, action: "skipped-stale", url: fresh.html_url, commentId: fresh.id };
  }
  const updated = await updateComment(client, options, survivor.id, result);
  await checkAfterWrite(client, options, updated.id, result);
  return { ...result, action: "updated", url: updated.html_url, commentId: updated.id };
}

/**
 * After writing comment `id`: wait `settleMs`, re-read it and, while it holds
 * an older run's stamp (an older run's write that landed after ours), write
 * it again, at most MAX_REPAIRS times. Its own or a newer run's stamp, a
 * deleted comment or a failed re-read end the check.
 */
async function checkAfterWrite(client: GitHubClient, options: PublishOptions, id: number, result: PublishResult): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  for (let repairs = 0; ; repairs++) {
    await sleep(settleMs);
    let fresh: IssueComment | null;
    try {
      fresh = await getComment(client, options, id);
    } catch {
      return; // The write was answered: it stands, unchecked.
    }
    if (fresh === null || compareStamps(parseStamp(fresh.body ?? ""), options.stamp) >= 0) return;
    if (repairs === MAX_REPAIRS) return;
    await updateComment(client, options, id, result);
  }
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
