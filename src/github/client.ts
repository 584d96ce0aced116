/**
 * A small GitHub REST + GraphQL client over the global `fetch`.
 *
 * Why not Octokit: the Action needs a handful of endpoints, and the behaviour
 * around them matters more than coverage: bounded timeouts, retries with
 * backoff on 5xx and network errors, primary and secondary rate limits
 * honoured from `retry-after` / `x-ratelimit-reset`, and errors that never
 * carry the token. Doing that here keeps the bundle lean and every path
 * testable with `nock` (which intercepts `fetch`).
 */
import { GitHubApiError } from "./errors.js";

export interface GitHubClientOptions {
  token: string;
  /** REST base URL (`GITHUB_API_URL`), e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl?: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`); defaults to `<apiUrl>/graphql`. */
  graphqlUrl?: string;
  /** Attempts after the first one, for 5xx, network errors and rate limits. Default 3. */
  retries?: number;
  /** Per-attempt timeout: connecting, the answer and reading its body. Default 10 s. */
  timeoutMs?: number;
  /**
   * Total time one call may spend on failed attempts and their backoff
   * (rate-limit waits, bounded by `maxRateLimitWaitMs`, are not counted).
   * Default 30 s: a hanging API costs seconds, not minutes.
   */
  deadlineMs?: number;
  /** Longest wait accepted for a rate limit before giving up with a clear error. Default 90 s. */
  maxRateLimitWaitMs?: number;
  /** First backoff step for 5xx and network errors (doubles each attempt). Default 1 s. */
  backoffMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: the clock the deadline is measured with. */
  now?: () => number;
  /** Where retry notices go (never given headers or the token). */
  log?: (message: string) => void;
  userAgent?: string;
}

export interface RequestOptions {
  body?: unknown;
  /** `Accept` header; default `application/vnd.github+json`. */
  accept?: string;
  /** Return the body as text instead of parsing JSON. */
  raw?: boolean;
  /** Overrides the client's per-attempt timeout, retries or deadline for this call (a call nothing waits on). */
  timeoutMs?: number;
  retries?: number;
  deadlineMs?: number;
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const DEFAULT_API_URL = "https://api.github.com";
/** GitHub asks for at least a minute when a rate-limited answer gives no time. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export class GitHubClient {
  private readonly token: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly userAgent: string;

  constructor(options: GitHubClientOptions) {
    this.token = options.token;
    this.apiUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, "");
    this.graphqlUrl = options.graphqlUrl || `${this.apiUrl}/graphql`;
    this.retries = options.retries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 90_000;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.userAgent = options.userAgent ?? "sam-fitness";
  }

  /** One REST call; `path` is relative to the API root ("/repos/o/r/...") or an absolute URL from a Link header. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GitHubResponse<T>> {
    const url = path.startsWith("http") ? path : `${this.apiUrl}${path}`;
    const shownPath = path.startsWith("http") ? new URL(path).pathname : path.split("?")[0] ?? path;
    const headers: Record<string, string> = {
      accept: options.accept ?? "application/vnd.github+json",
      "user-agent": this.userAgent,
      "x-github-api-version": "2022-11-28",
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";

    const retries = options.retries ?? this.retries;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadlineMs = options.deadlineMs ?? this.deadlineMs;
    const started = this.now();
    let rateLimitedMs = 0;
    /** Time left for failed attempts and backoff; rate-limit waits do not count. */
    const left = () => deadlineMs - (this.now() - started - rateLimitedMs);
    /** Whether a retry after `wait` ms still fits the deadline (with a second for the attempt itself). */
    const fits = (wait: number) => left() - wait >= 1_000;

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      const attemptMs = Math.max(1, Math.min(timeoutMs, left()));
      // A successful answer's body is read here too: a connection lost while reading it is retried like one lost before.
      let text = "";
      try {
        response = await fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(attemptMs),
        });
        if (response.ok) text = await response.text();
      } catch (error) {
        const reason = describeNetworkError(error, attemptMs);
        const wait = this.backoff(attempt);
        if (attempt < retries && fits(wait)) {
          this.log(`GitHub API ${method} ${shownPath}: ${reason}; retrying in ${Math.round(wait / 1000)} s`);
          await this.sleep(wait);
          continue;
        }
        const gaveUp = attempt < retries ? `${reason} (gave up after ${Math.round((this.now() - started) / 1000)} s)` : reason;
        throw new GitHubApiError(0, method, shownPath, gaveUp, null, { attempts: attempt + 1 });
      }

      if (response.ok) {
        if (options.raw || text === "") return { status: response.status, data: (options.raw ? text : null) as T, headers: response.headers };
        try {
          return { status: response.status, data: JSON.parse(text) as T, headers: response.headers };
        } catch {
          throw new GitHubApiError(response.status, method, shownPath, "the answer is not valid JSON", response.headers.get("x-github-request-id"), { attempts: attempt + 1 });
        }
      }

      const bodyText = await response.text().catch(() => "");
      const apiMessage = extractMessage(bodyText, response.status);
      const requestId = response.headers.get("x-github-request-id");
      const rateWait = rateLimitWait(response, apiMessage, Date.now(), this.rateLimitFallback(attempt));
      if (rateWait !== null && attempt < retries) {
        if (rateWait > this.maxRateLimitWaitMs) {
          throw new GitHubApiError(
            response.status,
            method,
            shownPath,
            `${apiMessage} (rate limited; GitHub asks to wait ${Math.ceil(rateWait / 1000)} s, more than the ${Math.round(this.maxRateLimitWaitMs / 1000)} s this action waits)`,
            requestId,
            { attempts: attempt + 1, rateLimit: { waitMs: rateWait, maxWaitMs: this.maxRateLimitWaitMs } },
          );
        }
        this.log(`GitHub API ${method} ${shownPath}: rate limited; waiting ${Math.ceil(rateWait / 1000)} s`);
        const before = this.now();
        await this.sleep(rateWait);
        rateLimitedMs += this.now() - before;
        continue;
      }
      const wait = this.backoff(attempt);
      if (response.status >= 500 && attempt < retries && fits(wait)) {
        this.log(`GitHub API ${method} ${shownPath}: HTTP ${response.status}; retrying in ${Math.round(wait / 1000)} s`);
        await this.sleep(wait);
        continue;
      }
      const details = rateWait === null ? { attempts: attempt + 1 } : { attempts: attempt + 1, rateLimit: { waitMs: rateWait, maxWaitMs: this.maxRateLimitWaitMs } };
      const stopped = response.status >= 500 && attempt < retries ? `${apiMessage} (gave up after ${Math.round((this.now() - started) / 1000)} s)` : apiMessage;
      throw new GitHubApiError(response.status, method, shownPath, rateWait === null ? stopped : `${apiMessage} (still rate limited after ${attempt + 1} tries)`, requestId, details);
    }
  }

  /** GET every page of a list endpoint (follows `Link: rel="next"`), up to `maxPages`. */
  async paginate<T>(path: string, maxPages = 30): Promise<T[]> {
    const items: T[] = [];
    let next: string | null = path + (path.includes("?") ? "&" : "?") + "per_page=100";
    for (let page = 0; next !== null && page < maxPages; page++) {
      const response: GitHubResponse<unknown> = await this.request<unknown>("GET", next);
      if (Array.isArray(response.data)) items.push(...(response.data as T[]));
      next = nextLink(response.headers.get("link"));
    }
    return items;
  }

  /** A GraphQL call; GraphQL-level errors become a GitHubApiError too. */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.request<{ data?: T; errors?: { message?: string; type?: string }[] }>("POST", this.graphqlUrl, {
      body: { query, variables },
    });
    const errors = response.data?.errors;
    if (errors && errors.length > 0) {
      const forbidden = errors.some((e) => e.type === "FORBIDDEN");
      const message = errors.map((e) => e.message ?? "unknown error").join("; ");
      throw new GitHubApiError(forbidden ? 403 : 422, "POST", "/graphql", message);
    }
    return response.data?.data as T;
  }

  /**
   * The wait for a rate limit that names no time: a minute, doubling on each
   * further try as GitHub advises, but never past the longest accepted wait.
   */
  private rateLimitFallback(attempt: number): number {
    return Math.min(DEFAULT_RATE_LIMIT_WAIT_MS * 2 ** attempt, Math.max(DEFAULT_RATE_LIMIT_WAIT_MS, this.maxRateLimitWaitMs));
  }

  private backoff(attempt: number): number {
    const base = this.backoffMs * 2 ** attempt;
    return base + Math.floor(Math.random() * (base / 4));
  }
}

/**
 * How long to wait before retrying a rate-limited response, or null when the
 * response is not a rate limit. Follows GitHub's guidance: `retry-after`
 * seconds when given; otherwise, with `x-ratelimit-remaining: 0`, until
 * `x-ratelimit-reset`; otherwise, for a secondary rate limit, `fallbackMs`
 * (one minute unless the caller is backing off further).
 */
export function rateLimitWait(response: Response, apiMessage: string, now = Date.now(), fallbackMs = DEFAULT_RATE_LIMIT_WAIT_MS): number | null {
  if (response.status !== 403 && response.status !== 429) return null;
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (response.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - now + 1000);
    return fallbackMs;
  }
  if (response.status === 429 || /rate limit/i.test(apiMessage)) return fallbackMs;
  return null;
}

function extractMessage(bodyText: string, status: number): string {
  try {
    const parsed = JSON.parse(bodyText) as { message?: unknown; errors?: { message?: unknown; code?: unknown }[] };
    if (parsed && typeof parsed.message === "string") {
      const details = Array.isArray(parsed.errors)
        ? parsed.errors
            .map((e) => (typeof e?.message === "string" ? e.message : typeof e?.code === "string" ? e.code : null))
            .filter((m): m is string => m !== null)
        : [];
      return details.length > 0 ? `${parsed.message} (${details.join("; ")})` : parsed.message;
    }
  } catch {
    // not JSON: fall through
  }
  const trimmed = bodyText.trim().slice(0, 200);
  return trimmed || `HTTP ${status}`;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no response within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** The `rel="next"` URL of a `Link` header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1]) return match[1];
  }
  return null;
}
