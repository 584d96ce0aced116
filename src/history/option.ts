/**
 * The `history` input / `--history` option: where the fitness history lives.
 *   off | false | none      no history
 *   branch                   the default branch name below, through the GitHub API
 *   branch:<name>            another branch
 *   file:<path>              a local JSON file
 */
import { SamFitnessError } from "../errors.js";

export const DEFAULT_HISTORY_BRANCH = "sam-fitness-history";
export const DEFAULT_HISTORY_PATH = "fitness-history.json";

export type HistoryOption = { kind: "off" } | { kind: "branch"; branch: string } | { kind: "file"; path: string };

export class HistoryOptionError extends SamFitnessError {
  readonly kind = "usage";
  override readonly name = "HistoryOptionError";
}

const EXPECTED = 'expected "off", "branch", "branch:<name>" or "file:<path>"';

/** Why `name` cannot be a branch name (git check-ref-format rules), or null when it can. */
export function branchNameProblem(name: string): string | null {
  if (name.length === 0) return "it is empty";
  if (name.length > 200) return "it is longer than 200 characters";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return "it contains a space, a control character or one of ~ ^ : ? * [ \\";
  if (name.includes("..") || name.includes("@{") || name.includes("//")) return 'it contains "..", "@{" or "//"';
  if (name === "@" || name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) {
    return 'it is "@", starts with "-" or "/", or ends with "/" or "."';
  }
  if (name.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"))) {
    return 'a part of it starts with "." or ends with ".lock"';
  }
  return null;
}

/** Parses the option. Throws HistoryOptionError with a message for the user when the value is not one of the forms. */
export function parseHistoryOption(value: string): HistoryOption {
  const text = typeof value === "string" ? value.trim() : "";
  const lower = text.toLowerCase();
  if (lower === "off" || lower === "false" || lower === "none") return { kind: "off" };
  if (lower === "" || lower === "branch" || lower === "on" || lower === "true") {
    return { kind: "branch", branch: DEFAULT_HISTORY_BRANCH };
  }
  if (lower.startsWith("branch:")) {
    const branch = text.slice("branch:".length).trim();
    const problem = branchNameProblem(branch);
    if (problem) throw new HistoryOptionError(`history: "${text}" does not name a usable branch (${problem})`);
    return { kind: "branch", branch };
  }
  if (lower.startsWith("file:")) {
    const path = text.slice("file:".length).trim();
    // eslint-disable-next-line no-control-regex
    if (path.length === 0 || /[\u0000]/.test(path)) throw new HistoryOptionError(`history: "${text}" needs a file path after "file:"`);
    return { kind: "file", path };
  }
  throw new HistoryOptionError(`history: unknown value "${text.slice(0, 80)}"; ${EXPECTED}`);
}
