/**
 * `comment.json`: the PR comment a run would post, written next to the JSON
 * report so that a later, privileged `workflow_run` workflow can post it for
 * a pull request whose own token is read-only (a fork).
 *
 * The file crosses a trust boundary: the run that wrote it may have run the
 * PR author's workflow and code. Reading it is therefore strict: bounded
 * size, no symlink, an exact shape, and error messages that never repeat
 * unvalidated content into the log.
 */
import { constants } from "node:fs";
import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MAX_COMMENT_CHARS } from "../github/comments.js";
import { parseStamp } from "../github/run-stamp.js";
import type { RunContext } from "./context.js";
import { SamFitnessError } from "../errors.js";

export const COMMENT_FILE_NAME = "comment.json";
export const COMMENT_FILE_VERSION = 1;
/** Largest comment file accepted (and written), in bytes. */
export const MAX_COMMENT_FILE_BYTES = 100 * 1024;

export interface CommentFile {
  version: typeof COMMENT_FILE_VERSION;
  /** owner/name of the repository the pull request belongs to. */
  repository: string;
  pullRequest: number;
  /** The PR head commit the comment was computed for. */
  headSha: string;
  /** The comment's markdown, starting with the report marker, without run stamp. */
  body: string;
}

const KEYS = ["version", "repository", "pullRequest", "headSha", "body"] as const;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

export class CommentFileError extends SamFitnessError {
  readonly kind = "failure";
  override readonly name = "CommentFileError";
}

/**
 * The comment file for this run, or null when the run is not for a pull
 * request. A body that would not fit in the file's size limit is replaced by
 * a short note pointing at the run's job summary, so what this writes is
 * always something `parseCommentFile` accepts.
 */
export function commentFileFor(context: RunContext, body: string, marker: string): CommentFile | null {
  const pr = context.pullRequest;
  if (pr === null) return null;
  const file: CommentFile = {
    version: COMMENT_FILE_VERSION,
    repository: `${context.owner}/${context.repo}`,
    pullRequest: pr.number,
    headSha: pr.headSha,
    body,
  };
  if (serialise(file).length <= MAX_COMMENT_FILE_BYTES && body.length <= MAX_COMMENT_CHARS) return file;
  const runUrl = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
  return { ...file, body: `${marker}\n\nThe sam-fitness report is too large for a PR comment. Read it in the [job summary](${runUrl}).` };
}

/** Writes `comment.json` into `dir` and returns its path. */
export async function writeCommentFile(dir: string, file: CommentFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, COMMENT_FILE_NAME);
  await writeFile(path, serialise(file));
  return path;
}

function serialise(file: CommentFile): Buffer {
  return Buffer.from(JSON.stringify(file) + "\n", "utf8");
}

/**
 * Reads a comment file's text: a regular file (a symlink is refused), at most
 * MAX_COMMENT_FILE_BYTES, valid UTF-8. Never reads more than the limit.
 */
export async function readCommentFileText(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new CommentFileError(`comment-from "${path}" is a symbolic link; pass the downloaded file itself.`);
    if (code === "ENOENT") throw new CommentFileError(`comment-from "${path}" does not exist (was the artifact downloaded to that path?).`);
    throw new CommentFileError(`comment-from "${path}" cannot be read (${code ?? "error"}).`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new CommentFileError(`comment-from "${path}" is not a regular file.`);
    if (stat.size > MAX_COMMENT_FILE_BYTES) {
      throw new CommentFileError(`comment-from "${path}" is ${stat.size} bytes, more than the ${MAX_COMMENT_FILE_BYTES} bytes a comment file may have.`);
    }
    const buffer = Buffer.alloc(MAX_COMMENT_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_COMMENT_FILE_BYTES) {
        throw new CommentFileError(`comment-from "${path}" is larger than the ${MAX_COMMENT_FILE_BYTES} bytes a comment file may have.`);
      }
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      throw new CommentFileError(`comment-from "${path}" is not valid UTF-8.`);
    }
  } finally {
    await handle.close();
  }
}

export interface CommentFileExpectations {
  /** owner/name of this run's repository (GITHUB_REPOSITORY). */
  repository: string;
  /** The report marker the body must start with. */
  marker: string;
}

/** Parses and validates a comment file's text; throws CommentFileError saying what does not match. */
export function parseCommentFile(text: string, expected: CommentFileExpectations): CommentFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CommentFileError("the comment file is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CommentFileError("the comment file is not a JSON object.");
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const missing = KEYS.filter((key) => !Object.hasOwn(record, key));
  const extra = keys.filter((key) => !(KEYS as readonly string[]).includes(key));
  if (missing.length > 0) throw new CommentFileError(`the comment file lacks ${missing.map((k) => `"${k}"`).join(", ")}.`);
  if (extra.length > 0) throw new CommentFileError(`the comment file has ${extra.length} unexpected field(s); expected exactly ${KEYS.join(", ")}.`);

  const { version, repository, pullRequest, headSha, body } = record;
  if (version !== COMMENT_FILE_VERSION) throw new CommentFileError(`the comment file's "version" must be ${COMMENT_FILE_VERSION}.`);
  if (typeof repository !== "string" || !REPOSITORY.test(repository)) throw new CommentFileError('the comment file\'s "repository" is not an owner/name string.');
  if (repository.toLowerCase() !== expected.repository.toLowerCase()) {
    throw new CommentFileError(`the comment file is for repository ${repository}, but this run is in ${expected.repository}.`);
  }
  if (typeof pullRequest !== "number" || !Number.isSafeInteger(pullRequest) || pullRequest <= 0) {
    throw new CommentFileError('the comment file\'s "pullRequest" is not a positive integer.');
  }
  if (typeof headSha !== "string" || !SHA.test(headSha)) throw new CommentFileError('the comment file\'s "headSha" is not a 40- or 64-digit hex commit SHA.');
  if (typeof body !== "string") throw new CommentFileError('the comment file\'s "body" is not a string.');
  if (body.length > MAX_COMMENT_CHARS) {
    throw new CommentFileError(`the comment file's "body" has ${body.length} characters, more than GitHub's ${MAX_COMMENT_CHARS} for a comment.`);
  }
  if (!body.startsWith(expected.marker)) throw new CommentFileError(`the comment file's "body" does not start with the report marker ${expected.marker}.`);
  // A forged run stamp could make every later run think the comment is newer than it.
  if (parseStamp(body) !== null) throw new CommentFileError('the comment file\'s "body" contains a run stamp; only the posting run adds one.');
  return { version: COMMENT_FILE_VERSION, repository, pullRequest, headSha: headSha.toLowerCase(), body };
}
