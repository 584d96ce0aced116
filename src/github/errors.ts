/**
 * Errors raised by the GitHub client. Messages name the request (method and
 * path) and GitHub's own message; they never contain headers, so the token
 * cannot leak through an error log.
 */
import { SamFitnessError } from "../errors.js";

export interface GitHubApiErrorDetails {
  /** Requests made, retries included; 1 when the first answer was final. */
  attempts?: number;
  /** A rate limit that was not waited out: the wait GitHub asked for and the longest wait accepted. */
  rateLimit?: { waitMs: number; maxWaitMs: number };
}

export class GitHubApiError extends SamFitnessError {
  readonly kind = "failure";
  override readonly name = "GitHubApiError";
  readonly attempts: number;
  readonly rateLimit: { waitMs: number; maxWaitMs: number } | null;
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly apiMessage: string,
    readonly requestId: string | null = null,
    details: GitHubApiErrorDetails = {},
  ) {
    super(`GitHub API ${method} ${path} failed with ${status === 0 ? "a network error" : `HTTP ${status}`}: ${apiMessage}`);
    this.attempts = details.attempts ?? 1;
    this.rateLimit = details.rateLimit ?? null;
  }
}

/** The token may not write here: a fork PR, a read-only token, or missing `pull-requests: write` (a 403 rate limit is not). */
export function isPermissionError(error: unknown): boolean {
  return error instanceof GitHubApiError && (error.status === 403 || error.status === 401) && error.rateLimit === null;
}

/** GitHub kept refusing for a rate limit (primary or secondary). */
export function isRateLimitError(error: unknown): boolean {
  return error instanceof GitHubApiError && error.rateLimit !== null;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof GitHubApiError && error.status === 404;
}

/** 422 Unprocessable Entity, e.g. a comment body over GitHub's size limit. */
export function isValidationError(error: unknown): boolean {
  return error instanceof GitHubApiError && error.status === 422;
}
