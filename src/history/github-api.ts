/**
 * A minimal GitHub REST client over fetch for the history branch: JSON in and
 * out, and bounded retries with backoff for rate limits (primary and
 * secondary), server errors and network failures. Other statuses are
 * returned to the caller, which knows what they mean for it.
 */
import { HistoryError } from "./types.js";

export interface ApiOptions {
  token: string;
  /** API root, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  baseUrl: string;
  /** Tries per request for retryable failures (default 4). */
  requestAttempts?: number;
  /** First backoff for server errors and network failures (default 1 s, doubling). */
  baseDelayMs?: number;
  /** Wait for a rate limit that gives no time (GitHub asks for at least a minute; default 60 s, doubling). */
  rateLimitDelayMs?: number;
  /** Longest single wait; a rate limit that resets later than this is reported instead (default 5 min). */
  maxDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
  /** For error messages: where the history lives. */
  source: string;
}

export interface ApiResponse {
  status: number;
  data: unknown;
  headers: Headers;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function messageOf(data: unknown): string {
  if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") {
    return data.message.slice(0, 300);
  }
  return typeof data === "string" ? data.slice(0, 300) : "";
}

function numberHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

type Verdict = { retry: false } | { retry: true; why: string; waitMs: number | null; rateLimited: boolean };

/** Whether a response is worth trying again, and after how long when the server says. */
export function retryVerdict(status: number, headers: Headers, data: unknown, now: number): Verdict {
  const retryAfter = numberHeader(headers, "retry-after");
  const remaining = numberHeader(headers, "x-ratelimit-remaining");
  const reset = numberHeader(headers, "x-ratelimit-reset");
  const message = messageOf(data);
  const limited =
    status === 429 || (status === 403 && (retryAfter !== null || remaining === 0 || /rate limit/i.test(message)));
  if (limited) {
    let waitMs: number | null = null;
    if (retryAfter !== null) waitMs = Math.max(0, retryAfter * 1000);
    else if (remaining === 0 && reset !== null) waitMs = Math.max(0, reset * 1000 - now) + 1000;
    return { retry: true, why: `rate limited (HTTP ${status}${message ? `: ${message}` : ""})`, waitMs, rateLimited: true };
  }
  if (status === 500 || status === 502 || status === 503 || status === 504) {
    return { retry: true, why: `server error HTTP ${status}`, waitMs: retryAfter === null ? null : retryAfter * 1000, rateLimited: false };
  }
  return { retry: false };
}

export class GitHubApi {
  private readonly options: Required<Omit<ApiOptions, "log">> & Pick<ApiOptions, "log">;

  constructor(options: ApiOptions) {
    this.options = {
      requestAttempts: 4,
      baseDelayMs: 1000,
      rateLimitDelayMs: 60_000,
      maxDelayMs: 300_000,
      fetch: globalThis.fetch.bind(globalThis),
      sleep: defaultSleep,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
    };
  }

  get sleep(): (ms: number) => Promise<void> {
    return this.options.sleep;
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const { requestAttempts, baseDelayMs, rateLimitDelayMs, maxDelayMs, source } = this.options;
    const attempts = Math.max(1, Math.floor(requestAttempts));
    let lastProblem = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: ApiResponse | null = null;
      let verdict: Verdict;
      try {
        response = await this.send(method, path, body);
        verdict = retryVerdict(response.status, response.headers, response.data, Date.now());
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        verdict = { retry: true, why: `network error (${why})`, waitMs: null, rateLimited: false };
      }
      if (!verdict.retry && response) return response;
      if (!verdict.retry) break;
      lastProblem = verdict.why;
      if (attempt === attempts) break;
      const backoff = (verdict.rateLimited ? rateLimitDelayMs : baseDelayMs) * 2 ** (attempt - 1);
      const wait = verdict.waitMs ?? Math.min(maxDelayMs, Math.round(backoff * (1 + Math.random() * 0.25)));
      if (wait > maxDelayMs) {
        throw new HistoryError(
          `GitHub API ${method} ${path} for history ${source}: ${lastProblem}; it asks to wait ${Math.ceil(wait / 1000)} s, longer than the ${Math.ceil(maxDelayMs / 1000)} s allowed. Run again later.`,
          source,
        );
      }
      this.options.log?.(`GitHub API ${method} ${path}: ${lastProblem}; trying again in ${Math.ceil(wait / 1000)} s (try ${attempt + 1} of ${attempts}).`);
      await this.options.sleep(wait);
    }
    throw new HistoryError(
      `GitHub API ${method} ${path} for history ${source} failed after ${attempts} tries: ${lastProblem}.`,
      source,
    );
  }

  private async send(method: string, path: string, body: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${this.options.token}`,
      "x-github-api-version": "2022-11-28",
      "user-agent": "sam-fitness",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await this.options.fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let data: unknown = text;
    if (text.length > 0) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    return { status: response.status, data, headers: response.headers };
  }
}
