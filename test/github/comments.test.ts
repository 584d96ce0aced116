import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubClient } from "../../src/github/client.js";
import { publishComment, type IssueComment, type PublishOptions } from "../../src/github/comments.js";
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
    ...overrides,
  };
}

function comment(id: number, body: string, user: IssueComment["user"] = BOT): IssueComment {
  return { id, node_id: `IC_${id}`, body, html_url: `https://github.com/o/r/pull/7#issuecomment-${id}`, user };
}

const stamped = (runId: number, text = "old") => `${MARKER}\n${text}\n${formatStamp({ sha: "def", runId, attempt: 1 })}`;

/** GET /user fails for GITHUB_TOKEN. */
const tokenIsActionsToken = () => nock(API).get("/user").reply(403, { message: "Resource not accessible by integration" });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
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
      .reply(200, [foreign, comment(2, stamped(200))]);
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
      .reply(200, comment(4, "updated", mine));
    const result = await publishComment(client(), options());
    expect(result).toMatchObject({ action: "updated", commentId: 4, deleted: 0 });
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
      .reply(200, comment(9, "updated", app));
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
      .reply(200, comment(8, "updated"));
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
      .reply(404, { message: "Not Found" });
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
      .reply(200, [comment(6, stamped(200))]);
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
});
