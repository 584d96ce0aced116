/**
 * The action's inputs (action.yml), read and validated in one place.
 * `read` is `core.getInput` in production and a map lookup in tests.
 */
import { COMMENT_MODES, type CommentMode } from "../github/comments.js";
import { SamFitnessError } from "../errors.js";

export type TemplateScope = "changed" | "all";

export interface ActionInputs {
  /** Globs (relative to the working directory); empty = discover. */
  templates: string[];
  /** `changed` (PRs: only the templates the PR touches) or `all`. */
  scope: TemplateScope;
  config: string | null;
  token: string;
  comment: CommentMode;
  threshold: number | null;
  maxDecrease: number | null;
  annotations: boolean;
  sarifFile: string | null;
  workingDirectory: string;
  /** Wired by the history and live-check features. */
  history: string | null;
  historyLimit: number | null;
  cloudwatchNamespace: string | null;
  stackName: string | null;
  /** The template deployed as stackName (repo path), when several are analysed. */
  stackTemplate: string | null;
  region: string | null;
  liveRequired: boolean;
  /** Let the config's `code-rules` run (never on fork PRs or pull_request_target). */
  allowCodeRules: boolean;
  /**
   * Path of a `comment.json` written by an earlier (unprivileged) run: post
   * it instead of analysing anything. Only on `workflow_run` events.
   */
  commentFrom: string | null;
}

export class InputError extends SamFitnessError {
  readonly kind = "usage";
  override readonly name = "InputError";
}

export function readInputs(read: (name: string) => string): ActionInputs {
  const text = (name: string): string | null => {
    const value = read(name).trim();
    return value === "" ? null : value;
  };
  const comment = (text("comment") ?? "update").toLowerCase();
  if (!(COMMENT_MODES as readonly string[]).includes(comment)) {
    throw new InputError(`Input "comment" must be one of ${COMMENT_MODES.join(", ")}; got "${comment}".`);
  }
  const scope = (text("scope") ?? "changed").toLowerCase();
  if (scope !== "changed" && scope !== "all") throw new InputError(`Input "scope" must be "changed" or "all"; got "${scope}".`);
  return {
    templates: splitList(read("templates")),
    scope,
    config: text("config"),
    token: read("github-token").trim(),
    comment: comment as CommentMode,
    threshold: number(text("threshold"), "threshold"),
    maxDecrease: number(text("max-decrease"), "max-decrease"),
    annotations: boolean(text("annotations"), "annotations", true),
    sarifFile: text("sarif-file"),
    workingDirectory: text("working-directory") ?? ".",
    history: text("history"),
    historyLimit: number(text("history-limit"), "history-limit"),
    cloudwatchNamespace: text("cloudwatch-namespace"),
    stackName: text("stack-name"),
    stackTemplate: text("stack-template"),
    region: text("region"),
    liveRequired: boolean(text("live-required"), "live-required", false),
    allowCodeRules: boolean(text("allow-code-rules"), "allow-code-rules", false),
    commentFrom: text("comment-from"),
  };
}

/** Newline- or comma-separated list, blanks and `#` comments dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "" && !item.startsWith("#"));
}

function number(value: string | null, name: string): number | null {
  if (value === null) return null;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InputError(`Input "${name}" must be a number; got "${value}".`);
  return parsed;
}

function boolean(value: string | null, name: string, fallback: boolean): boolean {
  if (value === null) return fallback;
  const lower = value.toLowerCase();
  if (["true", "yes", "on", "1"].includes(lower)) return true;
  if (["false", "no", "off", "0"].includes(lower)) return false;
  throw new InputError(`Input "${name}" must be true or false; got "${value}".`);
}
