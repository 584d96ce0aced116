import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { postReportComment, type CommentRequest } from "../../src/action/comment.js";
import type { RunContext } from "../../src/action/context.js";
import { GitHubClient } from "../../src/github/client.js";

const API = "https://api.github.com";
const MARKER = "<!-- sam-fitness-report -->";

const context = (overrides: Partial<RunContext> = {}): RunContext => ({
  eventName: "pull_request",
  owner: "acme",
  repo: "shop",
  sha: "m".repeat(40),
  runId: 77,
  runAttempt: 1,
  serverUrl: "https://github.com",
  apiUrl: API,
  graphqlUrl: `${API}/graphql`,
  workspace: "/tmp",
  pullRequest: { number: 4, baseSha: "b".repeat(40), headSha: "a".repeat(40), baseRef: "main", fromFork: true, headRepository: "someone/fork" },
  pushBefore: null,
  ref: "refs/pull/4/merge",
  defaultBranch: "main",
  ...overrides,
});

function request(overrides: Partial<CommentRequest> = {}): CommentRequest & { logs: string[] } {
  const logs: string[] = [];
  return {
    client: new GitHubClient({ token: "t", apiUrl: API, sleep: async () => undefined }),
    context: context(),
    mode: "update",
    marker: MARKER,
    body: `${MARKER}\nreport`,
    createIfMissing: true,
    log: { info: (m) => logs.push(`info: ${m}`), warning: (m) => logs.push(`warning: ${m}`) },
    logs,
    ...overrides,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("postReportComment", () => {
  it("turns a 403 on a fork PR into a clear warning and returns no URL", async () => {
    nock(API)
      .get("/user")
      .reply(403, { message: "Resource not accessible by integration" })
      .get("/repos/acme/shop/issues/4/comments")
      .query(true)
      .reply(200, [])
      .post("/repos/acme/shop/issues/4/comments")
      .reply(403, { message: "Resource not accessible by integration" });
    const r = request();
    expect(await postReportComment(r)).toBeNull();
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatch(/^warning: sam-fitness could not post the PR comment: this pull request comes from a fork/);
    expect(r.logs[0]).toContain("the gate still applies");
  });

  it("names the missing permission for a same-repository PR", async () => {
    nock(API)
      .get("/user")
      .reply(403, {})
      .get("/repos/acme/shop/issues/4/comments")
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });
    const r = request({ context: context({ pullRequest: { number: 4, baseSha: "b", headSha: "a", baseRef: "main", fromFork: false, headRepository: "acme/shop" } }) });
    expect(await postReportComment(r)).toBeNull();
    expect(r.logs[0]).toContain("pull-requests: write");
  });

  it("posts nothing for push and workflow_dispatch runs, nor with comment: off", async () => {
    for (const eventName of ["push", "workflow_dispatch"]) {
      const r = request({ context: context({ eventName, pullRequest: null }) });
      expect(await postReportComment(r)).toBeNull();
      expect(r.logs[0]).toContain("no comment is posted");
    }
    expect(await postReportComment(request({ mode: "off" }))).toBeNull();
  });

  it("returns the comment URL and stamps the body with the head SHA and run", async () => {
    nock(API)
      .get("/user")
      .reply(403, {})
      .get("/repos/acme/shop/issues/4/comments")
      .query(true)
      .reply(200, [])
      .post("/repos/acme/shop/issues/4/comments", (b: { body: string }) => b.body.includes(`sam-fitness-run sha=${"a".repeat(40)} run=77 attempt=1`))
      .reply(201, { id: 1, node_id: "IC_1", html_url: "https://github.com/acme/shop/pull/4#issuecomment-1", user: { login: "github-actions[bot]" } })
      .get("/repos/acme/shop/issues/4/comments")
      .query(true)
      .reply(200, []);
    expect(await postReportComment(request())).toBe("https://github.com/acme/shop/pull/4#issuecomment-1");
  });
});
