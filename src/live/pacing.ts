/**
 * How the live check paces its calls: a total time budget, retries with
 * exponential backoff on throttling, and a bounded number of calls in flight.
 */
import { isThrottling, isTransient } from "./errors.js";
import { SamFitnessError } from "../errors.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First pause; each later pause doubles, up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/** A point in time after which no new call starts. */
export class Deadline {
  readonly #end: number;
  readonly #now: () => number;

  constructor(budgetMs: number, now: () => number = Date.now) {
    this.#now = now;
    this.#end = now() + Math.max(0, budgetMs);
  }

  remaining(): number {
    return Math.max(0, this.#end - this.#now());
  }

  expired(): boolean {
    return this.remaining() <= 0;
  }

  /** An abort signal that fires when the budget runs out. */
  signal(): AbortSignal {
    return AbortSignal.timeout(Math.max(1, this.remaining()));
  }
}

export class BudgetExceededError extends SamFitnessError {
  readonly kind = "failure";
  override readonly name = "TimeoutError";
  constructor(what: string) {
    super(`time budget exhausted before ${what}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The pause before retry number `attempt` (1-based): full jitter over an exponential ceiling. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Runs `call` until it succeeds, retrying throttling and transient service
 * errors with backoff, never starting an attempt or a pause past the deadline.
 * `onRetry` hears about each retry (for counting).
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  deadline: Deadline,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (error: unknown) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (deadline.expired()) throw new BudgetExceededError(what);
    try {
      return await call();
    } catch (error) {
      const retryable = isThrottling(error) || isTransient(error);
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const pause = backoffDelay(attempt, policy);
      if (pause >= deadline.remaining()) throw error;
      onRetry?.(error);
      await sleep(pause);
    }
  }
}

/**
 * Maps `items` through `task` with at most `limit` tasks in flight, keeping
 * the input order. Each outcome is kept (fulfilled or rejected) so one failure
 * does not lose the others' results.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
