import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubClient } from "../../src/github/client.js";
import { appendBranchHistory, readBranchHistory } from "../../src/history/store-github.js";
import type { BranchStoreOptions } from "../../src/history/store-github.js";
import { parseHistory, serializeHistory } from "../../src/history/parse.js";
import { HistoryError } from "../../src/history/types.js";
import { API, FakeGitHub } from "./fake-github.js";
import { record, series } from "./fixtures.js";

let github: FakeGitHub;
let sleeps: number[];
let options: BranchStoreOptions;

beforeEach(() => {
  nock.disableNetConnect();
  github = new FakeGitHub();
  github.install();
  sleeps = [];
  options = {
    token: "t0ken",
    owner: "octo",
    repo: "app",
    baseUrl: API,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function stored() {
  const text = github.historyText();
  if (text === undefined) throw new Error("no history file on the branch");
  return parseHistory(text, "branch");
}

/** Every commit on the history branch touches only the history file, says [skip ci], and the first one has no parent. */
function expectHistoryOnlyBranch(commits: number) {
  const log = github.log("sam-fitness-history");
  expect(log).toHaveLength(commits);
  for (const commit of log) {
    expect([...commit.tree.keys()]).toEqual(["fitness-history.json"]);
    expect(commit.message).toContain("[skip ci]");
  }
  expect(log.at(-1)?.parents).toEqual([]);
}

const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("history on a branch through the contents API", () => {
  it("first write creates the branch as an orphan whose only commit holds only the file", async () => {
    const result = await appendBranchHistory(options, [record("aaa111", 70)]);
    expect(result).toMatchObject({ written: true, attempts: 1 });
    expect(github.requests.filter((r) => !r.startsWith("GET"))).toEqual([
      "POST /repos/octo/app/git/blobs",
      "POST /repos/octo/app/git/trees",
      "POST /repos/octo/app/git/commits",
      "POST /repos/octo/app/git/refs",
    ]);
    // A tree of its own (no base_tree), with the history file only.
    expect(github.treePosts).toEqual([{ tree: [{ path: "fitness-history.json", mode: "100644", type: "blob", sha: expect.stringMatching(/^[0-9a-f]{40}$/) }] }]);
    const [commit] = github.log("sam-fitness-history");
    expect(commit).toMatchObject({ parents: [], message: "sam-fitness: record fitness for aaa111 [skip ci]" });
    expectHistoryOnlyBranch(1);
    expect(stored().records.map((r) => r.sha)).toEqual(["aaa111"]);
    // Nothing was taken from the default branch.
    expect(github.requests.some((r) => r.includes("/heads/main") || r === "GET /repos/octo/app")).toBe(false);
    expect(github.puts).toEqual([]);
    expect(result.commit).toBe(github.branches.get("sam-fitness-history"));
  });

  it("later writes append through the contents API, and the branch keeps holding only the file", async () => {
    await appendBranchHistory(options, [record("aaa111", 70)]);
    const firstSha = github.historySha();
    const result = await appendBranchHistory(options, [record("bbb222", 71)]);
    expect(result).toMatchObject({ written: true, attempts: 1 });
    expect(github.puts).toEqual([{ sha: firstSha, branch: "sam-fitness-history", message: "sam-fitness: record fitness for bbb222 [skip ci]" }]);
    expect(github.requests.filter((r) => r.startsWith("POST"))).toHaveLength(4);
    expectHistoryOnlyBranch(2);
    expect(stored().records.map((r) => r.sha)).toEqual(["aaa111", "bbb222"]);
  });

  it("on a branch that exists without the file, creates the file through the contents API", async () => {
    github.branches.set("sam-fitness-history", github.branches.get("main") ?? "");
    const result = await appendBranchHistory(options, [record("aaa111", 70)]);
    expect(result).toMatchObject({ written: true, attempts: 1 });
    expect(github.puts).toEqual([{ sha: undefined, branch: "sam-fitness-history", message: "sam-fitness: record fitness for aaa111 [skip ci]" }]);
    expect(github.requests.some((r) => r.startsWith("POST"))).toBe(false);
    expect(stored().records.map((r) => r.sha)).toEqual(["aaa111"]);
  });

  it("appends to an existing file, writing over the blob SHA it read", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50, 60]) }));
    const readSha = github.historySha();
    await appendBranchHistory(options, [record("bbb222", 65)]);
    expect(github.puts.map((p) => p.sha)).toEqual([readSha]);
    expect(stored().records.map((r) => r.score)).toEqual([50, 60, 65]);
    expect(github.requests.some((r) => r.startsWith("POST"))).toBe(false);
    expect(await readBranchHistory(options)).toEqual(stored());
  });

  it("on a conflict re-reads, merges and writes again without losing the other run's record", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    let first = true;
    github.beforePut = () => {
      if (!first) return;
      first = false;
      // Another run writes between our read and our write.
      github.setHistory(serializeHistory({ version: 1, records: [...series([50]), record("other", 55)] }));
    };
    const result = await appendBranchHistory(options, [record("ours", 66)]);
    expect(result.attempts).toBe(2);
    expect(stored().records.map((r) => r.sha.slice(0, 5))).toEqual(["0001a", "other", "ours"]);
    expect(github.puts).toHaveLength(2);
  });

  it("two concurrent appends keep both records", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    // Hold every write until both runs have read the file, so that they really collide.
    const reads = () => github.requests.filter((r) => r.startsWith("GET /repos/octo/app/contents/")).length;
    github.beforePut = async () => {
      for (let i = 0; i < 200 && reads() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const [a, b] = await Promise.all([
      appendBranchHistory(options, [record("run-a", 61)]),
      appendBranchHistory(options, [record("run-b", 62, { template: "other.yaml" })]),
    ]);
    expect([a.attempts, b.attempts].sort()).toEqual([1, 2]);
    expect(stored().records.map((r) => r.sha).sort()).toEqual(["0001abcdef0123456789abcdef0123456789abcd", "run-a", "run-b"]);
  });

  it("two concurrent first writes both create the branch and file without losing a record", async () => {
    // Hold the ref creation until both runs have made their commit, so that both try to create the branch.
    const commitsMade = () => github.requests.filter((r) => r === "POST /repos/octo/app/git/commits").length;
    github.beforeRef = () => waitFor(() => commitsMade() >= 2);
    const [a, b] = await Promise.all([
      appendBranchHistory(options, [record("first-a", 1)]),
      appendBranchHistory(options, [record("first-b", 2)]),
    ]);
    expect(a.written && b.written).toBe(true);
    expect(stored().records.map((r) => r.sha).sort()).toEqual(["first-a", "first-b"]);
    // One created the ref; the other was told it exists, read the file again and appended to it.
    expect(github.requests.filter((r) => r === "POST /repos/octo/app/git/refs")).toHaveLength(2);
    expect([a.attempts, b.attempts].sort()).toEqual([1, 2]);
    expect(github.puts).toHaveLength(1);
    expectHistoryOnlyBranch(2);
  });

  it("gives up when conflicts last the whole time budget, with a clear error", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    let n = 0;
    github.beforePut = () => {
      github.setHistory(serializeHistory({ version: 1, records: [...series([50]), record(`busy${n++}`, 1)] }));
    };
    // A virtual clock that the waits move on: 250 ms, then 500 ms, then the budget is spent.
    let now = 0;
    const clock = {
      now: () => now,
      random: () => 0.999,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    await expect(appendBranchHistory({ ...options, ...clock, conflictBudgetMs: 750 }, [record("ours", 66)])).rejects.toThrow(
      /kept changing while writing: gave up after 3 tries in 0.8 s \(last conflict: HTTP 409/,
    );
    expect(sleeps).toEqual([250, 500]);
    expect(github.puts).toHaveLength(3);
    expect(stored().records.some((r) => r.sha === "ours")).toBe(false);
  });

  it("does not retry a write that branch protection or a ruleset refuses, and says what to change", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    github.refusePut = { status: 409, message: "Repository rule violations found\n\nChanges must be made through a pull request." };
    const error = await appendBranchHistory(options, [record("ours", 66)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect((error as Error).message).toMatch(/was refused: HTTP 409 \(Repository rule violations found.*exempt it from the branch protection or ruleset/s);
    expect(github.puts).toHaveLength(1);
  });

  it("refuses a corrupt file with a clear error and does not overwrite it", async () => {
    github.setHistory('{"version": 1, "records": [{"sha": ');
    const attempt = appendBranchHistory(options, [record("ccc", 1)]);
    await expect(attempt).rejects.toBeInstanceOf(HistoryError);
    await expect(appendBranchHistory(options, [record("ccc", 1)])).rejects.toThrow(
      "History file octo/app@sam-fitness-history:fitness-history.json is not valid JSON",
    );
    expect(github.puts).toEqual([]);
    expect(github.historyText()).toBe('{"version": 1, "records": [{"sha": ');
  });

  it("waits out secondary and primary rate limits and server errors, then succeeds", async () => {
    const reset = Math.floor(Date.now() / 1000) + 2;
    github.faults.push(
      { method: "GET", path: /contents/, status: 403, body: { message: "You have exceeded a secondary rate limit." }, headers: { "retry-after": "3" } },
      { method: "GET", path: /contents/, status: 429, body: { message: "API rate limit exceeded" }, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) } },
      { method: "GET", path: /contents/, status: 403, body: { message: "You have exceeded a secondary rate limit." } },
      { method: "POST", path: /git\/refs$/, status: 502, body: { message: "Bad gateway" } },
    );
    const result = await appendBranchHistory({ ...options, requestAttempts: 4 }, [record("ddd", 1)]);
    expect(result.written).toBe(true);
    expect(sleeps[0]).toBe(3000);
    expect(sleeps[1]).toBeGreaterThan(1000);
    expect(sleeps[1]).toBeLessThanOrEqual(4000);
    // No time given: GitHub asks for at least a minute, growing.
    expect(sleeps[2]).toBeGreaterThanOrEqual(120_000);
    expect(sleeps[3]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[3]).toBeLessThan(2000);
    expect(sleeps).toHaveLength(4);
    expect(stored().records.map((r) => r.sha)).toEqual(["ddd"]);
    expectHistoryOnlyBranch(1);
  });

  it("stops after a bounded number of tries when the API keeps failing, writing nothing", async () => {
    for (let i = 0; i < 10; i++) github.faults.push({ method: "GET", path: /contents/, status: 503, body: { message: "Unavailable" } });
    await expect(appendBranchHistory({ ...options, requestAttempts: 3 }, [record("eee", 1)])).rejects.toThrow(
      /failed after 3 tries: server error HTTP 503/,
    );
    expect(sleeps).toHaveLength(2);
    expect(github.puts).toEqual([]);
    expect(github.requests.some((r) => r.startsWith("POST"))).toBe(false);
  });

  it("does not wait for a rate limit that resets too late, and says so", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github.faults.push({ method: "GET", path: /contents/, status: 403, body: { message: "API rate limit exceeded" }, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) } });
    await expect(appendBranchHistory(options, [record("fff", 1)])).rejects.toThrow(/asks to wait \d+ s, longer than the 300 s allowed/);
    expect(sleeps).toEqual([]);
  });

  it("reports a permission problem without retrying", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    github.faults.push({ method: "PUT", path: /contents/, status: 403, body: { message: "Resource not accessible by integration" } });
    await expect(appendBranchHistory(options, [record("ggg", 1)])).rejects.toThrow(
      "Writing the file for history octo/app@sam-fitness-history:fitness-history.json failed: HTTP 403 (Resource not accessible by integration).",
    );
    expect(sleeps).toEqual([]);
  });

  it("reports a permission problem while creating the branch without retrying, and creates no branch", async () => {
    github.faults.push({ method: "POST", path: /git\/blobs$/, status: 403, body: { message: "Resource not accessible by integration" } });
    await expect(appendBranchHistory(options, [record("ggg", 1)])).rejects.toThrow(
      "Storing the file for history octo/app@sam-fitness-history:fitness-history.json failed: HTTP 403 (Resource not accessible by integration).",
    );
    expect(sleeps).toEqual([]);
    expect(github.branches.has("sam-fitness-history")).toBe(false);
  });

  it("a refused ref that is not a lost race is an error naming the branch, not a retry", async () => {
    github.faults.push({ method: "POST", path: /git\/refs$/, status: 422, body: { message: "Reference update failed" } });
    await expect(appendBranchHistory(options, [record("hhh", 1)])).rejects.toThrow(
      "Creating branch sam-fitness-history for history octo/app@sam-fitness-history:fitness-history.json failed: HTTP 422 (Reference update failed).",
    );
    expect(github.requests.filter((r) => r === "POST /repos/octo/app/git/refs")).toHaveLength(1);
    expect(github.branches.has("sam-fitness-history")).toBe(false);
  });

  it("reads files too large to come inline through the blob API", async () => {
    expect(github.inlineLimit).toBe(1_000_000);
    github.inlineLimit = 100;
    github.setHistory(serializeHistory({ version: 1, records: series([10, 20, 30]) }));
    const file = await readBranchHistory(options);
    expect(file.records.map((r) => r.score)).toEqual([10, 20, 30]);
    expect(github.requests.some((r) => r.startsWith("GET /repos/octo/app/git/blobs/"))).toBe(true);
  });

  it("with no records to add creates neither branch nor commit", async () => {
    const result = await appendBranchHistory(options, []);
    expect(result).toMatchObject({ written: false, attempts: 0, commit: null });
    expect(github.branches.has("sam-fitness-history")).toBe(false);
    expect(github.puts).toEqual([]);
  });

  it("uses GITHUB_API_URL when no base URL is given", async () => {
    const saved = process.env["GITHUB_API_URL"];
    process.env["GITHUB_API_URL"] = API;
    try {
      const { baseUrl: _ignored, ...rest } = options;
      await appendBranchHistory(rest, [record("iii", 1)]);
    } finally {
      if (saved === undefined) delete process.env["GITHUB_API_URL"];
      else process.env["GITHUB_API_URL"] = saved;
    }
    expect(stored().records.map((r) => r.sha)).toEqual(["iii"]);
  });

  it("works through a ready client given instead of a token and URL", async () => {
    const waits: number[] = [];
    const client = new GitHubClient({ token: "t0ken", apiUrl: API, sleep: async (ms) => void waits.push(ms) });
    github.faults.push({ method: "GET", path: /contents/, status: 500, body: { message: "boom" } });
    const { token: _token, baseUrl: _baseUrl, ...rest } = options;
    await appendBranchHistory({ ...rest, client }, [record("jjj", 1)]);
    await appendBranchHistory({ ...rest, client }, [record("kkk", 2)]);
    expect(waits).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect((await readBranchHistory({ ...rest, client })).records.map((r) => r.sha)).toEqual(["jjj", "kkk"]);
  });
});
