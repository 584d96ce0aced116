import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunContext, WorkflowRunInfo } from "../../src/action/context.js";
import { relayComment, RelayError, type RelayRequest } from "../../src/action/relay.js";
import { checkTemplates } from "../../src/app/check.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { GitHubClient } from "../../src/github/client.js";
import { REPORT_MARKER, renderMarkdown } from "../../src/render/markdown.js";
import { readCorpus } from "../support/corpus.js";

const API = "https://api.github.com";
const HEAD = "c0ffee".repeat(6) + "abcd";
const OTHER = "d".repeat(40);
const PR = 12;
const BODY = renderMarkdown(
  checkTemplates([{ file: "template.yaml", head: readCorpus("seed/evolutionary-template.yaml"), base: undefined }], defaultConfig(), {
    toolVersion: "test",
    configPath: null,
  }),
);
const BOT = { login: "github-actions[bot]", type: "Bot" };

const workflowRun = (overrides: Partial<WorkflowRunInfo> = {}): WorkflowRunInfo => ({
  id: 5001,
  runAttempt: 2,
  headSha: HEAD,
  headRepository: "mallory/shop",
  event: "pull_request",
  ...overrides,
});

const context = (overrides: Partial<RunContext> = {}): RunContext => ({
  eventName: "workflow_run",
  owner: "acme",
  repo: "shop",
  sha: "e".repeat(40),
  runId: 6000,
  runAttempt: 1,
  serverUrl: "https://github.com",
  apiUrl: API,
  graphqlUrl: `${API}/graphql`,
  workspace: mkdtempSync(join(tmpdir(), "sam-fitness-relay-")),
  pullRequest: null,
  pushBefore: null,
  ref: "refs/heads/main",
  defaultBranch: "main",
  workflowRun: workflowRun(),
  ...overrides,
});

/** Writes a comment file into the context's workspace and returns a request for it. */
function request(
  file: Record<string, unknown> | string = {},
  overrides: Partial<RelayRequest> = {},
): RelayRequest & { logs: string[] } {
  const ctx = overrides.context ?? context();
  const text = typeof file === "string" ? file : JSON.stringify({ version: 1, repository: "acme/shop", pullRequest: PR, headSha: HEAD, body: BODY, ...file });
  writeFileSync(join(ctx.workspace, "comment.json"), text);
  const logs: string[] = [];
  return {
    path: "comment.json",
    mode: "update",
    context: ctx,
    client: new GitHubClient({ token: "t", apiUrl: API, sleep: async () => undefined }),
    marker: REPORT_MARKER,
    log: { info: (m) => logs.push(`info: ${m}`), warning: (m) => logs.push(`warning: ${m}`) },
    logs,
    ...overrides,
  };
}

const pullAnswer = (sha = HEAD, repo: string | null = "mallory/shop") => ({ number: PR, head: { sha, repo: repo === null ? null : { full_name: repo } } });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RelayError);
    return error as Error;
  }
  throw new Error("expected the relay to fail");
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("relayComment: a valid comment file", () => {
  it("creates the comment, stamped with the triggering run's id and attempt", async () => {
    let posted = "";
    nock(API)
      .get(`/repos/acme/shop/pulls/${PR}`)
      .reply(200, pullAnswer())
      .get("/user")
      .reply(403, {})
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, [])
      .post(`/repos/acme/shop/issues/${PR}/comments`, (b: { body: string }) => ((posted = b.body), true))
      .reply(201, { id: 1, node_id: "IC_1", html_url: `https://github.com/acme/shop/pull/${PR}#issuecomment-1`, user: BOT })
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, []);
    const r = request();
    expect(await relayComment(r)).toBe(`https://github.com/acme/shop/pull/${PR}#issuecomment-1`);
    expect(posted.startsWith(BODY.trimEnd())).toBe(true);
    expect(posted).toContain(`<!-- sam-fitness-run sha=${HEAD} run=5001 attempt=2 -->`);
    expect(r.logs.join("\n")).toContain(`pull request #${PR}`);
  });

  it("updates the existing comment in place, and leaves a newer run's comment alone", async () => {
    const existing = { id: 9, node_id: "IC_9", html_url: "https://github.com/acme/shop/pull/12#issuecomment-9", user: BOT };
    const old = { ...existing, body: `${REPORT_MARKER}\nold\n\n<!-- sam-fitness-run sha=${OTHER} run=4000 attempt=1 -->` };
    let patched = "";
    nock(API)
      .get(`/repos/acme/shop/pulls/${PR}`)
      .reply(200, pullAnswer())
      .get("/user")
      .reply(403, {})
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, [old])
      .get("/repos/acme/shop/issues/comments/9")
      .reply(200, old)
      .patch("/repos/acme/shop/issues/comments/9", (b: { body: string }) => ((patched = b.body), true))
      .reply(200, existing)
      // The check after writing: the comment holds what was written.
      .get("/repos/acme/shop/issues/comments/9")
      .reply(200, () => ({ ...existing, body: patched }));
    expect(await relayComment(request())).toBe(existing.html_url);
    expect(patched).toContain("run=5001 attempt=2");

    const newer = { ...existing, body: `${REPORT_MARKER}\nnewer\n\n<!-- sam-fitness-run sha=${OTHER} run=5005 attempt=1 -->` };
    nock(API)
      .get(`/repos/acme/shop/pulls/${PR}`)
      .reply(200, pullAnswer())
      .get("/user")
      .reply(403, {})
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, [newer]);
    const r = request();
    expect(await relayComment(r)).toBe(existing.html_url);
    expect(r.logs.join("\n")).toContain("newer run");
  });

  it("stamps with the current run when the payload has no run id", async () => {
    let posted = "";
    nock(API)
      .get(`/repos/acme/shop/pulls/${PR}`)
      .reply(200, pullAnswer())
      .get("/user")
      .reply(403, {})
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, [])
      .post(`/repos/acme/shop/issues/${PR}/comments`, (b: { body: string }) => ((posted = b.body), true))
      .reply(201, { id: 2, node_id: "IC_2", html_url: "u", user: BOT })
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, []);
    await relayComment(request({}, { context: context({ workflowRun: workflowRun({ id: null }) }) }));
    expect(posted).toContain("run=6000 attempt=1");
  });

  it("with comment: off, checks the file and posts nothing", async () => {
    nock(API).get(`/repos/acme/shop/pulls/${PR}`).reply(200, pullAnswer());
    const r = request({}, { mode: "off" });
    expect(await relayComment(r)).toBeNull();
    expect(r.logs.join("\n")).toContain("nothing is posted");
  });

  it("fails the step, naming the permission, when the token cannot write", async () => {
    nock(API)
      .get(`/repos/acme/shop/pulls/${PR}`)
      .reply(200, pullAnswer())
      .get("/user")
      .reply(403, {})
      .get(`/repos/acme/shop/issues/${PR}/comments`)
      .query(true)
      .reply(200, [])
      .post(`/repos/acme/shop/issues/${PR}/comments`)
      .reply(403, { message: "Resource not accessible by integration" });
    await expect(relayComment(request())).rejects.toThrow(/could not post the PR comment: the token cannot write to pull requests/);
  });
});

// Every case below fails before any comment endpoint is called: nock has no
// interceptor for them, and disableNetConnect turns any such call into an error
// that would not match the expected message.
describe("relayComment: nothing is posted when", () => {
  it("the run was not started by workflow_run", async () => {
    for (const eventName of ["pull_request", "pull_request_target", "push"]) {
      const error = await rejection(relayComment(request({}, { context: context({ eventName }) })));
      expect(error.message).toContain(`comment-from only works in a workflow started by workflow_run (this run was started by "${eventName}")`);
    }
  });

  it("the file's head SHA is not the commit the triggering run ran on", async () => {
    const error = await rejection(relayComment(request({ headSha: OTHER })));
    expect(error.message).toBe(`the comment file is for commit ${OTHER}, but the workflow run that triggered this one ran on ${HEAD}; not posted.`);
    const noSha = await rejection(relayComment(request({}, { context: context({ workflowRun: workflowRun({ headSha: null }) }) })));
    expect(noSha.message).toMatch(/no valid workflow_run.head_sha/);
  });

  it("the pull request's head (from the API) is another commit: the file targets another PR", async () => {
    nock(API).get(`/repos/acme/shop/pulls/${PR}`).reply(200, pullAnswer(OTHER));
    const error = await rejection(relayComment(request()));
    expect(error.message).toContain(`pull request #${PR}'s head is ${OTHER}, not ${HEAD}`);
  });

  it("the pull request's head is that commit, but in another repository than the triggering run's", async () => {
    nock(API).get(`/repos/acme/shop/pulls/${PR}`).reply(200, pullAnswer(HEAD, "victim/shop"));
    const error = await rejection(relayComment(request()));
    expect(error.message).toContain("head is in victim/shop, but the triggering run's commit came from mallory/shop");
  });

  it("the pull request does not exist", async () => {
    nock(API).get(`/repos/acme/shop/pulls/${PR}`).reply(404, { message: "Not Found" });
    expect((await rejection(relayComment(request()))).message).toContain(`pull request #${PR} does not exist in acme/shop`);
  });

  it("the file is for another repository", async () => {
    const error = await rejection(relayComment(request({ repository: "mallory/shop" })));
    expect(error.message).toMatch(/comment-from .*comment\.json: the comment file is for repository mallory\/shop, but this run is in acme\/shop/);
  });

  it("the file is oversized or malformed", async () => {
    expect((await rejection(relayComment(request(`${JSON.stringify({ body: "x".repeat(200_000) })}`)))).message).toMatch(/more than the 102400 bytes/);
    expect((await rejection(relayComment(request("{\"version\": 1,")))).message).toMatch(/not valid JSON/);
    expect((await rejection(relayComment(request({ pullRequest: "12" })))).message).toMatch(/"pullRequest" is not a positive integer/);
    expect((await rejection(relayComment(request({ extra: true })))).message).toMatch(/unexpected field/);
    const missing = request();
    expect((await rejection(relayComment({ ...missing, path: "nope/comment.json" }))).message).toMatch(/does not exist/);
  });

  it("the body is not a sam-fitness report", async () => {
    const error = await rejection(relayComment(request({ body: "Please merge me, approved by the maintainers." })));
    expect(error.message).toContain("does not start with the report marker <!-- sam-fitness-report -->");
  });
});
