/**
 * The run stamp: a second hidden HTML comment appended to our PR comment that
 * says which workflow run wrote it. It lets a run tell whether the comment it
 * is about to overwrite was written by a newer run.
 *
 *   <!-- sam-fitness-run sha=<head> run=<run id> attempt=<n> number=<run number> date=<commit date> -->
 *
 * `number` and `date` are optional (stamps written before they existed have
 * neither, and a run may not know its head commit's date).
 *
 * Order, compared field by field:
 * 1. the run number (`GITHUB_RUN_NUMBER`, which grows by one with each run of
 *    a workflow) when both stamps have one, otherwise the run id (which also
 *    grows over time within a repository);
 * 2. the attempt (a re-run keeps its number and id with a higher attempt);
 * 3. the head commit's date; a stamp without one is older.
 * A re-run of an older run for an older head commit is therefore "older" than
 * the first run of a newer commit, which is what we want: the result for the
 * newer commit stays.
 *
 * Stamps are parsed from comment bodies, which may quote untrusted text:
 * every field is bounded by the pattern, `formatStamp` writes only values of
 * the expected shape, and `withStamp` removes every stamp already in a body.
 */

export interface RunStamp {
  /** Head commit the report was computed for. */
  sha: string;
  runId: number;
  attempt: number;
  /** `GITHUB_RUN_NUMBER` of the run; absent in old stamps or when unknown. */
  runNumber?: number;
  /** Committer date of the head commit, ISO 8601 UTC; absent when unknown. */
  commitDate?: string;
}

const ISO_DATE = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z`;
const STAMP_PATTERN = new RegExp(
  String.raw`<!-- sam-fitness-run sha=([0-9a-fA-F]{0,64}) run=(\d{1,20}) attempt=(\d{1,6})(?: number=(\d{1,20}))?(?: date=(${ISO_DATE}))? -->`,
);

export function formatStamp(stamp: RunStamp): string {
  const sha = /^[0-9a-fA-F]{0,64}$/.test(stamp.sha) ? stamp.sha : "";
  const runId = Number.isSafeInteger(stamp.runId) && stamp.runId >= 0 ? stamp.runId : 0;
  const attempt = Number.isSafeInteger(stamp.attempt) && stamp.attempt >= 0 && stamp.attempt <= 999_999 ? stamp.attempt : 0;
  const runNumber = validRunNumber(stamp.runNumber);
  const date = validDate(stamp.commitDate);
  return `<!-- sam-fitness-run sha=${sha} run=${runId} attempt=${attempt}${runNumber === undefined ? "" : ` number=${runNumber}`}${date === undefined ? "" : ` date=${date}`} -->`;
}

export function parseStamp(body: string): RunStamp | null {
  const match = STAMP_PATTERN.exec(body);
  if (!match) return null;
  const stamp: RunStamp = { sha: match[1] ?? "", runId: Number(match[2]), attempt: Number(match[3]) };
  const runNumber = validRunNumber(match[4] === undefined ? undefined : Number(match[4]));
  if (runNumber !== undefined) stamp.runNumber = runNumber;
  const date = validDate(match[5]);
  if (date !== undefined) stamp.commitDate = date;
  return stamp;
}

/** Positive when `a` is newer than `b`; a missing stamp is older than any stamp. */
export function compareStamps(a: RunStamp | null, b: RunStamp | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a.runNumber !== undefined && b.runNumber !== undefined) {
    if (a.runNumber !== b.runNumber) return Math.sign(a.runNumber - b.runNumber);
  } else if (a.runId !== b.runId) {
    return Math.sign(a.runId - b.runId);
  }
  if (a.attempt !== b.attempt) return Math.sign(a.attempt - b.attempt);
  const aDate = a.commitDate === undefined ? Number.NaN : Date.parse(a.commitDate);
  const bDate = b.commitDate === undefined ? Number.NaN : Date.parse(b.commitDate);
  if (Number.isNaN(aDate) || Number.isNaN(bDate)) return Number.isNaN(aDate) === Number.isNaN(bDate) ? 0 : Number.isNaN(aDate) ? -1 : 1;
  return Math.sign(aDate - bDate);
}

/** Appends the stamp to a body (replacing any stamp already in it). */
export function withStamp(body: string, stamp: RunStamp): string {
  // Every stamp goes (a relayed body may carry forged ones): the only stamp left is this run's.
  // Repeated, because removing a stamp nested in another's text can join the halves into a new one.
  const all = new RegExp(STAMP_PATTERN.source, "g");
  let clean = body;
  for (let previous = ""; previous !== clean; ) {
    previous = clean;
    clean = clean.replace(all, "");
  }
  return `${clean.trimEnd()}\n\n${formatStamp(stamp)}\n`;
}

function validRunNumber(value: number | undefined): number | undefined {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** The date as `YYYY-MM-DDTHH:MM:SS.sssZ`, or undefined when it is not a valid date. */
function validDate(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString();
  // Years outside 0000-9999 print as ±YYYYYY, which the pattern does not read back.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}
