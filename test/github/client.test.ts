import nock from "nock";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GitHubClient, nextLink } from "../../src/github/client.js";
import { GitHubApiError, isPermissionError, isRateLimitError } from "../../src/github/errors.js";

const API = "https://api.github.com";
const TOKEN = "ghs_secretTokenValue123";

function client(waits: number[] = [], logs: string[] = []): GitHubClient {
  return new GitHubClient({
    token: TOKEN,
    apiUrl: API,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: (m) => logs.push(m),
    backoffMs: 100,
  });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("GitHubClient.request", () => {
  it("sends the token as a bearer header and the API version", async () => {
    nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}`, "x-github-api-version": "2022-11-28" } })
      .get("/repos/o/r")
      .reply(200, { full_name: "o/r" });
    const response = await client().request<{ full_name: string }>("GET", "/repos/o/r");
    expect(response.data.full_name).toBe("o/r");
  });

  it("retries a 5xx with backoff and then succeeds", async () => {
    nock(API).get("/x").reply(502, "bad gateway").get("/x").reply(503, { message: "unavailable" }).get("/x").reply(200, { ok: true });
    const waits: number[] = [];
    const logs: string[] = [];
    const response = await client(waits, logs).request<{ ok: boolean }>("GET", "/x");
    expect(response.data.ok).toBe(true);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    expect(logs.join("\n")).toContain("HTTP 502");
  });

  it("gives up after the retry budget with a clear error", async () => {
    nock(API).get("/x").times(4).reply(500, { message: "boom" });
    const error = await client().request("GET", "/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(500);
    expect((error as Error).message).toBe("GitHub API GET /x failed with HTTP 500: boom");
  });

  it("honours retry-after on a secondary rate limit", async () => {
    nock(API)
      .post("/repos/o/r/issues/1/comments")
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "7" })
      .post("/repos/o/r/issues/1/comments")
      .reply(201, { id: 5 });
    const waits: number[] = [];
    const response = await client(waits).request<{ id: number }>("POST", "/repos/o/r/issues/1/comments", { body: { body: "x" } });
    expect(response.data.id).toBe(5);
    expect(waits).toEqual([7000]);
  });

  it("waits one minute on a secondary rate limit without headers", async () => {
    nock(API).get("/x").reply(403, { message: "You have exceeded a secondary rate limit" }).get("/x").reply(200, {});
    const waits: number[] = [];
    await client(waits).request("GET", "/x");
    expect(waits).toEqual([60_000]);
  });

  it("waits until x-ratelimit-reset when the primary limit is exhausted", async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    nock(API)
      .get("/x")
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) })
      .get("/x")
      .reply(200, {});
    const waits: number[] = [];
    await client(waits).request("GET", "/x");
    expect(waits[0]!).toBeGreaterThan(25_000);
    expect(waits[0]!).toBeLessThan(35_000);
  });

  it("refuses to wait longer than the configured maximum", async () => {
    nock(API).get("/x").reply(429, { message: "slow down" }, { "retry-after": "3600" });
    const error = await client().request("GET", "/x").catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/asks to wait 3600 s/);
  });

  it("does not call a secondary rate limit a permission problem, also after the last try", async () => {
    nock(API).post("/c").times(4).reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" });
    const tooLong = nock(API).post("/d").reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "600" });
    const exhausted = await client().request("POST", "/c", { body: {} }).catch((e: unknown) => e);
    expect(isPermissionError(exhausted)).toBe(false);
    expect(isRateLimitError(exhausted)).toBe(true);
    expect((exhausted as Error).message).toMatch(/secondary rate limit.*still rate limited after 4 tries/);
    const refused = await client().request("POST", "/d", { body: {} }).catch((e: unknown) => e);
    expect(tooLong.isDone()).toBe(true);
    expect(isPermissionError(refused)).toBe(false);
    expect(isRateLimitError(refused)).toBe(true);
  });

  it("turns an answer that is not JSON into a clear API error", async () => {
    nock(API).get("/html").reply(200, "<html>proxy login</html>");
    const error = await client().request("GET", "/html").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toBe("GitHub API GET /html failed with HTTP 200: the answer is not valid JSON");
  });

  it("does not retry a plain 403 and classifies it as a permission error", async () => {
    nock(API).post("/repos/o/r/issues/1/comments").reply(403, { message: "Resource not accessible by integration" });
    const waits: number[] = [];
    const error = await client(waits).request("POST", "/repos/o/r/issues/1/comments", { body: {} }).catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
    expect(waits).toEqual([]);
    expect((error as Error).message).toContain("Resource not accessible by integration");
  });

  it("retries network errors and never puts the token in errors or logs", async () => {
    nock(API).get("/x").times(4).replyWithError("socket hang up");
    const logs: string[] = [];
    const error = await client([], logs).request("GET", "/x").catch((e: unknown) => e);
    expect((error as GitHubApiError).status).toBe(0);
    expect(logs).toHaveLength(3);
    const everything = [String(error), (error as Error).stack ?? "", ...logs, JSON.stringify(error)].join("\n");
    expect(everything).not.toContain(TOKEN);
  });

  it("times out a request that never answers", async () => {
    nock(API).get("/slow").delay(2_000).reply(200, {});
    const fast = new GitHubClient({ token: TOKEN, apiUrl: API, timeoutMs: 100, retries: 0 });
    const error = await fast.request("GET", "/slow").catch((e: unknown) => e);
    expect((error as Error).message).toContain("no response within");
  });
});

describe("GitHubClient limits", () => {
  it("with the default limits, a slow, failing API costs at most 30 s per call, however many retries remain", async () => {
    let clock = 0;
    const attempts: number[] = [];
    vi.stubGlobal("fetch", async () => {
      attempts.push(clock);
      clock += 9_000; // each attempt takes 9 s to fail
      return new Response("Bad Gateway", { status: 502 });
    });
    try {
      const slow = new GitHubClient({ token: TOKEN, apiUrl: API, now: () => clock, sleep: async (ms) => void (clock += ms) });
      const error = await slow.request("GET", "/x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect((error as GitHubApiError).message).toMatch(/Bad Gateway \(gave up after 3\d s\)/);
      expect(attempts).toHaveLength(3);
      expect(clock).toBeLessThanOrEqual(32_000);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("a socket that never answers is abandoned at the call's deadline", async () => {
    nock(API).get("/hang").times(10).delay(5_000).reply(200, {});
    const bounded = new GitHubClient({ token: TOKEN, apiUrl: API, timeoutMs: 200, deadlineMs: 600, backoffMs: 20 });
    const started = performance.now();
    const error = await bounded.request("GET", "/hang").catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect((error as Error).message).toMatch(/no response within/);
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it("a call can ask for no retries and a shorter timeout (GET /user, which nothing waits on)", async () => {
    nock(API).get("/user").delay(2_000).reply(200, { login: "me" });
    const started = performance.now();
    const error = await client().request("GET", "/user", { retries: 0, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((error as GitHubApiError).attempts).toBe(1);
    nock.abortPendingRequests();
    nock.cleanAll();
  });
});

describe("pagination and GraphQL", () => {
  it("follows Link rel=next", async () => {
    nock(API)
      .get("/items")
      .query({ per_page: "100" })
      .reply(200, [1, 2], { link: `<${API}/items?per_page=100&page=2>; rel="next", <${API}/items?per_page=100&page=2>; rel="last"` })
      .get("/items")
      .query({ per_page: "100", page: "2" })
      .reply(200, [3]);
    expect(await client().paginate<number>("/items")).toEqual([1, 2, 3]);
  });

  it("parses Link headers", () => {
    expect(nextLink(null)).toBeNull();
    expect(nextLink('<https://a/b?page=3>; rel="prev", <https://a/b?page=5>; rel="next"')).toBe("https://a/b?page=5");
    expect(nextLink('<https://a/b?page=1>; rel="first"')).toBeNull();
  });

  it("turns GraphQL errors into API errors", async () => {
    nock(API).post("/graphql").reply(200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] });
    const error = await client().graphql("query { viewer { login } }", {}).catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
  });
});
