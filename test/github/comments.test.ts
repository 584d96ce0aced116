import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runStamp } from "../../src/action/comment.js";
import type { RunContext } from "../../src/action/context.js";
import { GitHubClient } from "../../src/github/client.js";
import { DEFAULT_SETTLE_MS, publishComment, type IssueComment, type PublishOptions } from "../../src/github/comments.js";
import { isPermissionError } from "../../src/github/errors.js";
import { compareStamps, formatStamp, parseStamp, withStamp } from "../../src/github/run-stamp.js";

const API = "https://api.github.com";
const MARKER = "<!-- sam-fitness-report -->";
const BOT = { login: "github-actions[bot]", type: "Bot" };
const LIST = "/repos/o/r/issues/7/comments";

const client = () => new GitHubClient({ token: "t", apiUrl: API, sleep: async () => undefined });

function options(overrides: Partial<PublishOptions> = {}): PublishOptions {
  return {
    owner: "o",
    repo: "r",
    issueNumber: 7,
    marker: MARKER,
    body: `${MARKER}\n# Fitness 80`,
    stamp: { sha: "abc123", runId: 200, attempt: 1 },
    mode: "update",
    sleep: async () => undefined,
    ...overrides,
  };
}

function comment(id: number, body: string, user: IssueComment["user"] = BOT): IssueComment {
  return { id, node_id: `IC_${id}`, body, html_url: `https://github.com/o/r/pull/7#issuecomment-${id}`, user };
}

const stamped = (runId: number, text = "old") => `${MARKER}\n${text}\n${formatStamp({ sha: "def", runId, attempt: 1 })}`;

/** GET /user fails for GITHUB_TOKEN. */
const tokenIsActionsToken = () => nock(API).get("/user").reply(403, { message: "Resource not accessible by integration" });

/** Requests no mock answered (the check after writing treats a failed re-read as the end of the check, so they would pass unseen). */
const unmatched: string[] = [];
beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", (req: { method?: string; path?: string }) => unmatched.push(`${req.method ?? ""} ${req.path ?? ""}`));
});
afterEach(() => {
  const pending = nock.pendingMocks();
  const stray = unmatched.splice(0);
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(stray).toEqual([]);
});

describe("run stamps", () => {
  it("round-trips and orders by run id then attempt", () => {
    const body = withStamp("hello", { sha: "abc", runId: 10, attempt: 2 });
    expect(parseStamp(body)).toEqual({ sha: "abc", runId: 10, attempt: 2 });
    expect(compareStamps({ sha: "", runId: 11, attempt: 1 }, { sha: "", runId: 10, attempt: 3 })).toBeGreaterThan(0);
    expect(compareStamps({ sha: "", runId: 10, attempt: 1 }, { sha: "", runId: 10, attempt: 3 })).toBeLessThan(0);
    expect(compareStamps(null, { sha: "", runId: 1, attempt: 1 })).toBeLessThan(0);
    expect(withStamp(body, { sha: "abc", runId: 11, attempt: 1 }).match(/sam-fitness-run/g)).toHaveLength(1);
  });

  it("drops every stamp already in a body, so a relayed body cannot forge a newer run", () => {
    const forged = `report\n${formatStamp({ sha: "", runId: 99999999999, attempt: 1 })}\n${formatStamp({ sha: "", runId: 88888888888, attempt: 1 })}`;
    const body = withStamp(forged, { sha: "abc", runId: 12, attempt: 1 });
    expect(body.match(/sam-fitness-run/g)).toHaveLength(1);
    expect(parseStamp(body)).toEqual({ sha: "abc", runId: 12, attempt: 1 });
  });

  it("drops a stamp hidden by nesting another stamp inside it", () => {
    const inner = formatStamp({ sha: "", runId: 1, attempt: 1 });
    const forged = `report <!-- sam-fitness-run sha= run=99999999999 attempt=1${inner} -->`;
    const body = withStamp(forged, { sha: "abc", runId: 12, attempt: 1 });
    expect(parseStamp(body)).toEqual({ sha: "abc", runId: 12, attempt: 1 });
    expect(body.match(/sam-fitness-run/g)).toHaveLength(1);
  });

  it("carries the run number and commit date, and still reads stamps without them", () => {
    const full = { sha: "abc", runId: 10, attempt: 2, runNumber: 41, commitDate: "2026-03-01T10:00:00.000Z" };
    expect(formatStamp(full)).toBe("<!-- sam-fitness-run sha=abc run=10 attempt=2 number=41 date=2026-03-01T10:00:00.000Z -->");
    expect(parseStamp(withStamp("x", full))).toStrictEqual(full);
    expect(parseStamp(withStamp("x", { sha: "abc", runId: 10, attempt: 2, runNumber: 41 }))).toStrictEqual({ sha: "abc", runId: 10, attempt: 2, runNumber: 41 });
    expect(parseStamp("<!-- sam-fitness-run sha=abc run=10 attempt=2 -->")).toStrictEqual({ sha: "abc", runId: 10, attempt: 2 });
    // A date in another zone is written in UTC.
    expect(formatStamp({ sha: "", runId: 1, attempt: 1, commitDate: "2026-03-01T12:00:00+02:00" })).toContain("date=2026-03-01T10:00:00.000Z");
  });

  it("writes only well-formed numbers and dates", () => {
    const bad = { sha: "not hex -->", runId: -1, attempt: 1.5, runNumber: 0, commitDate: "yesterday --> <!-- x" };
    expect(formatStamp(bad)).toBe("<!-- sam-fitness-run sha= run=0 attempt=0 -->");
    expect(formatStamp({ sha: "", runId: 1, attempt: 10_000_000, runNumber: Number.MAX_SAFE_INTEGER + 2 })).toBe("<!-- sam-fitness-run sha= run=1 attempt=0 -->");
    // A date of the right shape that is no date is dropped; the rest of the stamp stands.
    expect(parseStamp("<!-- sam-fitness-run sha= run=1 attempt=1 number=1 date=2026-13-45T99:00:00Z -->")).toStrictEqual({ sha: "", runId: 1, attempt: 1, runNumber: 1 });
    expect(parseStamp("<!-- sam-fitness-run sha= run=1 attempt=1 number=99999999999999999999 -->")).toStrictEqual({ sha: "", runId: 1, attempt: 1 });
  });

  it("orders by run number when both stamps have one, else by run id; then attempt; then commit date", () => {
    const s = (runId: number, attempt: number, runNumber?: number, commitDate?: string) => ({ sha: "", runId, attempt, runNumber, commitDate });
    // The run number wins over the run id...
    expect(compareStamps(s(100, 1, 8), s(900, 1, 7))).toBeGreaterThan(0);
    // ...but only when both have one.
    expect(compareStamps(s(100, 1, 8), s(900, 1))).toBeLessThan(0);
    expect(compareStamps(s(900, 1), s(100, 1, 8))).toBeGreaterThan(0);
    // Same run number: the attempt decides, not the run id.
    expect(compareStamps(s(100, 2, 8), s(900, 1, 8))).toBeGreaterThan(0);
    // Same run and attempt: the commit date decides; a missing date is older.
    expect(compareStamps(s(5, 1, 8, "2026-03-02T00:00:00.000Z"), s(5, 1, 8, "2026-03-01T00:00:00.000Z"))).toBeGreaterThan(0);
    expect(compareStamps(s(5, 1, 8), s(5, 1, 8, "2026-03-01T00:00:00.000Z"))).toBeLessThan(0);
    expect(compareStamps(s(5, 1, 8), s(5, 1, 8))).toBe(0);
    expect(compareStamps(s(5, 1), { ...s(5, 1), sha: "other" })).toBe(0);
  });

  it("stamps the run number of the run whose id it stamps", () => {
    const base = { eventName: "pull_request", owner: "o", repo: "r", sha: "", runId: 300, runAttempt: 2, runNumber: 12 } as RunContext;
    expect(runStamp(base, "abc", "2026-03-01T10:00:00.000Z")).toStrictEqual({ sha: "abc", runId: 300, attempt: 2, runNumber: 12, commitDate: "2026-03-01T10:00:00.000Z" });
    expect(runStamp({ ...base, runNumber: undefined }, "abc")).toStrictEqual({ sha: "abc", runId: 300, attempt: 2 });
    // comment-from: relay.ts puts the triggering run's id into runId; its number comes from the event, not from this (other) workflow.
    const triggering = { id: 5001, runAttempt: 1, runNumber: 77, headSha: null, headRepository: null, event: "pull_request" };
    expect(runStamp({ ...base, eventName: "workflow_run", runId: 5001, runAttempt: 1, workflowRun: triggering }, "abc")).toStrictEqual({ sha: "abc", runId: 5001, attempt: 1, runNumber: 77 });
    expect(runStamp({ ...base, eventName: "workflow_run", runId: 5001, workflowRun: { ...triggering, runNumber: undefined } }, "abc")).toStrictEqual({ sha: "abc", runId: 5001, attempt: 2 });
    // Without a triggering run id the relay stamps its own run: its own number goes with it.
    expect(runStamp({ ...base, eventName: "workflow_run", workflowRun: { ...triggering, id: null } }, "abc").runNumber).toBe(12);
  });
});

describe("publishComment", () => {
  it("creates a comment when none of ours exists, ignoring other users' comments with the marker", async () => {
    tokenIsActionsToken();
    const foreign = comment(1, `${MARKER} quoted by a human`, { login: "alice", type: "User" });
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [foreign])
      .post(LIST, (b: { body: string }) => b.body.startsWith(MARKER) && b.body.includes("sam-fitness-run sha=abc123 run=200 attempt=1"))
      .reply(201, comment(2, "new"))
      .get(LIST)
      .query(true)
      .reply(200, [foreign, comment(2, stamped(200))])
      .get("/repos/o/r/issues/comments/2")
      .reply(200, comment(2, stamped(200)));
    const result = await publishComment(client(), options());
    expect(result).toMatchObject({ action: "created", commentId: 2, url: "https://github.com/o/r/pull/7#issuecomment-2" });
  });

  it("updates our existing comment in place (found via GET /user for a personal token)", async () => {
    const mine = { login: "ci-user", type: "User" };
    nock(API)
      .get("/user")
      .reply(200, { login: "ci-user" })
      .get(LIST)
      .query(true)
      .reply(200, [comment(3, "unrelated", mine), comment(4, stamped(150), mine), comment(5, stamped(120), BOT)])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150), mine))
      .patch("/repos/o/r/issues/comments/4", (b: { body: string }) => b.body.includes("# Fitness 80"))
      .reply(200, comment(4, "updated", mine))
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(200), mine));
    const result = await publishComment(client(), options());
    expect(result).toMatchObject({ action: "updated", commentId: 4, deleted: 0 });
  });

  it("a GET /user that never answers costs one short try, made while the comments are listed", async () => {
    nock(API)
      .get("/user")
      .delay(60_000)
      .reply(200, { login: "ci-user" })
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, "updated"))
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(200)));
    // The client's own retries (3, with a 10 s timeout each) would make this 40 s: GET /user gets one 3 s try.
    const started = performance.now();
    const result = await publishComment(client(), options());
    expect(performance.now() - started).toBeLessThan(4_500);
    expect(result).toMatchObject({ action: "updated", commentId: 4 });
    nock.abortPendingRequests();
  });

  it("finds its comment with a GitHub App token, which posts as the app's bot", async () => {
    tokenIsActionsToken();
    const app = { login: "sam-fitness-app[bot]", type: "Bot" };
    const impostor = { login: "mallory", type: "User" };
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(8, stamped(150), impostor), comment(9, stamped(150), app)])
      .get("/repos/o/r/issues/comments/9")
      .reply(200, comment(9, stamped(150), app))
      .patch("/repos/o/r/issues/comments/9", (b: { body: string }) => b.body.includes("# Fitness 80"))
      .reply(200, comment(9, "updated", app))
      .get("/repos/o/r/issues/comments/9")
      .reply(200, comment(9, stamped(200), app));
    expect(await publishComment(client(), options())).toMatchObject({ action: "updated", commentId: 9 });
  });

  it("does not overwrite a comment written by a newer run", async () => {
    tokenIsActionsToken();
    nock(API).get(LIST).query(true).reply(200, [comment(4, stamped(300, "newer"))]);
    const result = await publishComment(client(), options());
    expect(result.action).toBe("skipped-stale");
    expect(result.commentId).toBe(4);
  });

  it("re-reads the comment before updating and skips when a newer run got there first", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(201, "raced")));
    const result = await publishComment(client(), options());
    expect(result.action).toBe("skipped-stale");
  });

  it("when two runs both created a comment, the later run folds into the oldest and deletes its own", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [])
      .post(LIST)
      .reply(201, comment(9, "mine"))
      .get(LIST)
      .query(true)
      .reply(200, [comment(8, stamped(199, "other run")), comment(9, stamped(200))])
      .get("/repos/o/r/issues/comments/8")
      .reply(200, comment(8, stamped(199, "other run")))
      .delete("/repos/o/r/issues/comments/9")
      .reply(204)
      .patch("/repos/o/r/issues/comments/8")
      .reply(200, comment(8, "updated"))
      .get("/repos/o/r/issues/comments/8")
      .reply(200, comment(8, stamped(200)));
    const result = await publishComment(client(), options());
    expect(result).toMatchObject({ action: "updated", commentId: 8, deleted: 1 });
  });

  it("update mode cleans up duplicates left by an earlier race", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(11, stamped(100)), comment(12, stamped(101))])
      .get("/repos/o/r/issues/comments/11")
      .reply(200, comment(11, stamped(100)))
      .patch("/repos/o/r/issues/comments/11")
      .reply(200, comment(11, "x"))
      .delete("/repos/o/r/issues/comments/12")
      .reply(404, { message: "Not Found" })
      .get("/repos/o/r/issues/comments/11")
      .reply(200, comment(11, stamped(200)));
    const result = await publishComment(client(), options());
    expect(result).toMatchObject({ action: "updated", commentId: 11, deleted: 0 });
  });

  it("hide-and-new posts a new comment and minimizes the old one as OUTDATED", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .post(LIST)
      .reply(201, comment(6, "new"))
      .post("/graphql", (b: { query: string; variables: { id: string } }) => b.query.includes("classifier: OUTDATED") && b.variables.id === "IC_4")
      .reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    const result = await publishComment(client(), options({ mode: "hide-and-new" }));
    expect(result).toMatchObject({ action: "created", commentId: 6, hidden: 1 });
  });

  it("delete-and-new posts a new comment and deletes the old ones", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .post(LIST)
      .reply(201, comment(6, "new"))
      .delete("/repos/o/r/issues/comments/4")
      .reply(204);
    const result = await publishComment(client(), options({ mode: "delete-and-new" }));
    expect(result).toMatchObject({ action: "created", commentId: 6, deleted: 1 });
  });

  it("leaves another app's comment that quotes the report alone", async () => {
    tokenIsActionsToken();
    const other = { login: "summarizer[bot]", type: "Bot" };
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150)), comment(5, `Summary of the thread:\n> ${stamped(999)}`, other)])
      .post(LIST)
      .reply(201, comment(6, "new"))
      .delete("/repos/o/r/issues/comments/4")
      .reply(204);
    // Comment 5 carries a newer stamp, but it is not ours: it neither blocks the report nor gets deleted.
    const result = await publishComment(client(), options({ mode: "delete-and-new" }));
    expect(result).toMatchObject({ action: "created", commentId: 6, deleted: 1 });
  });

  it("new mode always posts, off mode calls nothing", async () => {
    tokenIsActionsToken();
    nock(API).get(LIST).query(true).reply(200, [comment(4, stamped(150))]).post(LIST).reply(201, comment(6, "new"));
    expect((await publishComment(client(), options({ mode: "new" }))).action).toBe("created");
    expect((await publishComment(client(), options({ mode: "off" }))).action).toBe("off");
  });

  it("falls back to a short body when GitHub rejects the report with 422 (too long)", async () => {
    tokenIsActionsToken();
    const huge = `${MARKER}\n${"x".repeat(70_000)}`;
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [])
      .post(LIST)
      .reply(422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }] })
      .post(LIST, (b: { body: string }) => b.body.length < 1000 && b.body.includes("job summary") && b.body.startsWith(MARKER))
      .reply(201, comment(6, "short"))
      .get(LIST)
      .query(true)
      .reply(200, [comment(6, stamped(200))])
      .get("/repos/o/r/issues/comments/6")
      .reply(200, comment(6, stamped(200)));
    const result = await publishComment(client(), options({ body: huge }));
    expect(result).toMatchObject({ action: "created", usedFallback: true });
  });

  it("surfaces a 403 on a fork PR as a permission error and touches nothing else", async () => {
    tokenIsActionsToken();
    nock(API).get(LIST).query(true).reply(200, []).post(LIST).reply(403, { message: "Resource not accessible by integration" });
    const error = await publishComment(client(), options()).catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
  });

  it("hide-and-new does not hide the old comment when posting the new one fails", async () => {
    tokenIsActionsToken();
    nock(API).get(LIST).query(true).reply(200, [comment(4, stamped(150))]).post(LIST).reply(403, { message: "Forbidden" });
    await expect(publishComment(client(), options({ mode: "hide-and-new" }))).rejects.toThrow(/HTTP 403/);
  });

  it("update mode with createIfMissing false leaves a PR without comment alone", async () => {
    tokenIsActionsToken();
    nock(API).get(LIST).query(true).reply(200, []);
    expect((await publishComment(client(), options({ createIfMissing: false }))).action).toBe("skipped");
  });
  it("after writing, waits, re-reads, and writes again when an older run's write landed after its own", async () => {
    tokenIsActionsToken();
    const waits: number[] = [];
    const patched: string[] = [];
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4", (b: { body: string }) => Boolean(patched.push(b.body)))
      .reply(200, comment(4, "updated"))
      // An older run's write (run 199) landed after ours.
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(199, "older run")))
      .patch("/repos/o/r/issues/comments/4", (b: { body: string }) => Boolean(patched.push(b.body)))
      .reply(200, comment(4, "repaired"))
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(200)));
    const result = await publishComment(client(), options({ sleep: async (ms) => void waits.push(ms) }));
    expect(result).toMatchObject({ action: "updated", commentId: 4 });
    expect(waits).toEqual([DEFAULT_SETTLE_MS, DEFAULT_SETTLE_MS]);
    expect(patched).toHaveLength(2);
    for (const body of patched) expect(parseStamp(body)).toMatchObject({ runId: 200 });
  });

  it("stops checking when the re-read after writing shows a newer run, and never writes over it", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, "updated"))
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(201, "newer run")));
    const waits: number[] = [];
    expect(await publishComment(client(), options({ settleMs: 20, sleep: async (ms) => void waits.push(ms) }))).toMatchObject({ action: "updated" });
    expect(waits).toEqual([20]);
  });

  it("writes again at most three times when older writes keep landing", async () => {
    tokenIsActionsToken();
    const scope = nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4")
      .times(4)
      .reply(200, comment(4, "updated"))
      .get("/repos/o/r/issues/comments/4")
      .times(4)
      .reply(200, comment(4, stamped(150, "older again")));
    expect(await publishComment(client(), options())).toMatchObject({ action: "updated", commentId: 4 });
    expect(scope.isDone()).toBe(true);
  });

  it("keeps its write when the re-read after writing fails or finds the comment gone", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, "updated"))
      .get("/repos/o/r/issues/comments/4")
      .reply(502, "bad gateway");
    const noRetries = new GitHubClient({ token: "t", apiUrl: API, retries: 0, sleep: async () => undefined });
    expect(await publishComment(noRetries, options())).toMatchObject({ action: "updated", commentId: 4 });

    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [comment(4, stamped(150))])
      .get("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, stamped(150)))
      .patch("/repos/o/r/issues/comments/4")
      .reply(200, comment(4, "updated"))
      .get("/repos/o/r/issues/comments/4")
      .reply(404, { message: "Not Found" });
    expect(await publishComment(client(), options())).toMatchObject({ action: "updated", commentId: 4 });
  });

  it("checks a comment it created and then finds to be the survivor", async () => {
    tokenIsActionsToken();
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, [])
      .post(LIST)
      .reply(201, comment(8, "mine"))
      .get(LIST)
      .query(true)
      .reply(200, [comment(8, stamped(200)), comment(9, stamped(199, "older run, folding in"))])
      // Whatever brought it there, an older run's stamp found after writing is written over.
      .get("/repos/o/r/issues/comments/8")
      .reply(200, comment(8, stamped(199, "older run")))
      .patch("/repos/o/r/issues/comments/8", (b: { body: string }) => parseStamp(b.body)?.runId === 200)
      .reply(200, comment(8, "restored"))
      .get("/repos/o/r/issues/comments/8")
      .reply(200, comment(8, stamped(200)));
    expect(await publishComment(client(), options())).toMatchObject({ action: "created", commentId: 8 });
  });
});
