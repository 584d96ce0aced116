/**
 * The run stamp: a second hidden HTML comment appended to our PR comment that
 * says which workflow run wrote it. It lets a run tell whether the comment it
 * is about to overwrite was written by a newer run.
 *
 * Order: GitHub run ids grow over time within a repository, and a re-run
 * keeps its id with a higher attempt number, so (runId, attempt) compared
 * lexicographically orders runs. A re-run of an older run for an older head
 * commit is therefore "older" than the first run of a newer commit, which is
 * what we want: the result for the newer commit stays.
 */

export interface RunStamp {
  /** Head commit the report was computed for. */
  sha: string;
  runId: number;
  attempt: number;
}

const STAMP_PATTERN = /<!-- sam-fitness-run sha=([0-9a-fA-F]{0,64}) run=(\d{1,20}) attempt=(\d{1,6}) -->/;

export function formatStamp(stamp: RunStamp): string {
  const sha = /^[0-9a-fA-F]{0,64}$/.test(stamp.sha) ? stamp.sha : "";
  const runId = Number.isSafeInteger(stamp.runId) && stamp.runId >= 0 ? stamp.runId : 0;
  const attempt = Number.isSafeInteger(stamp.attempt) && stamp.attempt >= 0 ? stamp.attempt : 0;
  return `<!-- sam-fitness-run sha=${sha} run=${runId} attempt=${attempt} -->`;
}

export function parseStamp(body: string): RunStamp | null {
  const match = STAMP_PATTERN.exec(body);
  if (!match) return null;
  return { sha: match[1] ?? "", runId: Number(match[2]), attempt: Number(match[3]) };
}

/** Positive when `a` is newer than `b`; a missing stamp is older than any stamp. */
export function compareStamps(a: RunStamp | null, b: RunStamp | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a.runId !== b.runId) return a.runId - b.runId;
  return a.attempt - b.attempt;
}

/** Appends the stamp to a body (replacing any stamp already in it). */
export function withStamp(body: string, stamp: RunStamp): string {
  // Every stamp goes (a relayed body may carry forged ones): the only stamp left is this run's.
  const clean = body.replace(new RegExp(STAMP_PATTERN.source, "g"), "").trimEnd();
  return `${clean}\n\n${formatStamp(stamp)}\n`;
}
