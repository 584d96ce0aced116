import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunContext } from "../../src/action/context.js";
import { readInputs } from "../../src/action/inputs.js";
import { planRun } from "../../src/action/plan.js";
import { GitHubClient } from "../../src/github/client.js";

const API = "https://api.github.com";
const corpus = new URL("../../../shared/corpus/", import.meta.url);
const corpusText = (path: string) => readFileSync(new URL(path, corpus), "utf8");

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** base: apps/api/template.yaml, apps/old/template.yaml, apps/renamed-from.yaml (named in samconfig), apps/package.json */
function repo(): { root: string; base: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(join(tmpdir(), "plan-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  write(root, "apps/api/template.yaml", corpusText("sam-translator/input/api_with_cors.yaml"));
  write(root, "apps/old/template.yaml", corpusText("sam-translator/input/basic_function.yaml"));
  write(root, "apps/stack.yaml", corpusText("seed/evolutionary-template.yaml"));
  write(root, "apps/samconfig.toml", '[default.deploy.parameters]\ntemplate_file = "stack.yaml"\n');
  write(root, "apps/old/config.json", '{"name": "x"}');
  write(root, "outside/template.yaml", corpusText("sam-translator/input/basic_function.yaml"));
  git("add", ".");
  git("commit", "-q", "-m", "base");
  const base = git("rev-parse", "HEAD");
  // head: api modified, old deleted (with a non-template JSON next to it), stack renamed, a new template added
  write(root, "apps/api/template.yaml", corpusText("sam-translator/input/api_with_cors.yaml") + "\n# changed\n");
  rmSync(join(root, "apps/old"), { recursive: true });
  git("mv", "apps/stack.yaml", "apps/main-stack.yaml");
  write(root, "apps/samconfig.toml", '[default.deploy.parameters]\ntemplate_file = "main-stack.yaml"\n');
  write(root, "apps/new/template.yml", corpusText("sam-translator/input/basic_function.yaml"));
  git("add", "-A");
  git("commit", "-q", "-m", "head");
  return { root, base, git };
}

const context = (root: string, base: string, pr: boolean): RunContext => ({
  eventName: pr ? "pull_request" : "workflow_dispatch",
  owner: "o",
  repo: "r",
  sha: "h",
  runId: 1,
  runAttempt: 1,
  serverUrl: "https://github.com",
  apiUrl: API,
  graphqlUrl: `${API}/graphql`,
  workspace: root,
  pullRequest: pr ? { number: 9, baseSha: base, headSha: "h", baseRef: "main", fromFork: false, headRepository: "o/r" } : null,
  pushBefore: null,
  ref: "refs/pull/4/merge",
  defaultBranch: "main",
});

const inputs = (values: Record<string, string>) => readInputs((name) => values[name] ?? "");
const client = () => new GitHubClient({ token: "t", apiUrl: API, sleep: async () => undefined });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("planRun", () => {
  it("on a PR, reads head from the checkout and base from git for touched templates under the working directory", async () => {
    const { root, base } = repo();
    nock(API)
      .get("/repos/o/r/pulls/9/files")
      .query(true)
      .reply(200, [
        { filename: "apps/api/template.yaml", status: "modified" },
        { filename: "apps/old/template.yaml", status: "removed" },
        { filename: "apps/old/config.json", status: "removed" },
        { filename: "apps/main-stack.yaml", status: "renamed", previous_filename: "apps/stack.yaml" },
        { filename: "apps/new/template.yml", status: "added" },
        { filename: "apps/samconfig.toml", status: "modified" },
        { filename: "outside/template.yaml", status: "modified" },
      ]);
    const plan = await planRun(inputs({ "working-directory": "apps" }), context(root, base, true), client(), () => undefined);
    const byFile = Object.fromEntries(plan.inputs.map((i) => [i.file, i]));
    expect(Object.keys(byFile)).toEqual(["apps/api/template.yaml", "apps/main-stack.yaml", "apps/new/template.yml", "apps/old/template.yaml"]);
    expect(byFile["apps/api/template.yaml"]?.head).toContain("# changed");
    expect(byFile["apps/api/template.yaml"]?.base).toBe(corpusText("sam-translator/input/api_with_cors.yaml"));
    expect(byFile["apps/main-stack.yaml"]?.base).toBe(corpusText("seed/evolutionary-template.yaml"));
    expect(byFile["apps/new/template.yml"]?.base).toBeNull();
    expect(byFile["apps/old/template.yaml"]?.head).toBeNull();
    expect(plan.baseRef).toBe(base);
  });

  it("with configured globs and scope all, analyses every matching template", async () => {
    const { root, base } = repo();
    nock(API).get("/repos/o/r/pulls/9/files").query(true).reply(200, []);
    const plan = await planRun(inputs({ templates: "**/template.y*ml\n!new/**", scope: "all", "working-directory": "apps" }), context(root, base, true), client(), () => undefined);
    expect(plan.inputs.map((i) => [i.file, typeof i.base])).toEqual([["apps/api/template.yaml", "string"]]);
  });

  it("analyses every template when the PR changes the config file, which changes every score", async () => {
    const { root, base } = repo();
    nock(API).get("/repos/o/r/pulls/9/files").query(true).times(2).reply(200, [{ filename: ".github/sam-fitness.yml", status: "added" }]);
    const logs: string[] = [];
    const plan = await planRun(inputs({}), context(root, base, true), client(), (m) => logs.push(m));
    expect(plan.inputs.map((i) => i.file)).toEqual(["apps/api/template.yaml", "apps/main-stack.yaml", "apps/new/template.yml", "outside/template.yaml"]);
    expect(logs).toContain("The pull request changes .github/sam-fitness.yml: every template is analysed.");
    // Another config file named by the input: the default one changing means nothing.
    const other = await planRun(inputs({ config: "fitness.yml" }), context(root, base, true), client(), () => undefined);
    expect(other.inputs).toEqual([]);
  });

  it("outside pull requests, analyses all discovered templates without a base", async () => {
    const { root, base } = repo();
    const plan = await planRun(inputs({}), context(root, base, false), null, () => undefined);
    expect(plan.inputs.map((i) => i.file)).toEqual(["apps/api/template.yaml", "apps/main-stack.yaml", "apps/new/template.yml", "outside/template.yaml"]);
    expect(plan.inputs.every((i) => i.base === undefined)).toBe(true);
  });

  it("refuses a working directory outside the workspace", async () => {
    const { root, base } = repo();
    await expect(planRun(inputs({ "working-directory": "../elsewhere" }), context(root, base, false), null, () => undefined)).rejects.toThrow(/outside the workspace/);
  });
});

describe("planRun when GitHub cannot list the pull request's files", () => {
  // git sees apps/old/template.yaml -> apps/new/template.yml as a rename (same text), where the list above said delete + add.
  const touched = ["apps/api/template.yaml", "apps/main-stack.yaml", "apps/new/template.yml"];

  it.each([
    ["HTTP 404", (scope: nock.Interceptor) => scope.reply(404, { message: "Not Found" }), /Not Found/],
    ["HTTP 401", (scope: nock.Interceptor) => scope.reply(401, { message: "Bad credentials" }), /Bad credentials/],
    ["a persistent 502", (scope: nock.Interceptor) => scope.times(4).reply(502, "Bad Gateway"), /Bad Gateway/],
    ["an answer that is not JSON", (scope: nock.Interceptor) => scope.reply(200, "<html>oops</html>"), /not valid JSON/],
  ])("after %s, finds the touched templates with git diff base...HEAD and says so", async (_name, answer, reason) => {
    const { root, base } = repo();
    answer(nock(API).get("/repos/o/r/pulls/9/files").query(true));
    const plan = await planRun(inputs({ "working-directory": "apps" }), context(root, base, true), client(), () => undefined);
    expect(plan.inputs.map((i) => i.file)).toEqual(touched);
    const byFile = Object.fromEntries(plan.inputs.map((i) => [i.file, i]));
    expect(byFile["apps/main-stack.yaml"]?.base).toBe(corpusText("seed/evolutionary-template.yaml"));
    expect(byFile["apps/new/template.yml"]?.base).toBe(corpusText("sam-translator/input/basic_function.yaml"));
    expect(plan.scopeNote).toMatch(reason);
    expect(plan.scopeNote).toContain(`so the changed templates were found with git diff ${base.slice(0, 7)}...HEAD`);
  });

  it("without a token, uses git diff too instead of failing the step", async () => {
    const { root, base } = repo();
    const plan = await planRun(inputs({ "working-directory": "apps" }), context(root, base, true), null, () => undefined);
    expect(plan.inputs.map((i) => i.file)).toEqual(touched);
    expect(plan.scopeNote).toMatch(/^GitHub's list of the pull request's files could not be read \(no github-token was given\)/);
  });

  it("when the checkout lacks the base commit (a shallow clone), analyses every template and says so", async () => {
    const { root } = repo();
    nock(API).get("/repos/o/r/pulls/9/files").query(true).reply(404, { message: "Not Found" });
    // The base texts then come from the contents API; here none exists at that commit.
    nock(API).get(/\/repos\/o\/r\/contents\//).query(true).times(4).reply(404, { message: "Not Found" });
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const plan = await planRun(inputs({}), context(root, missing, true), client(), () => undefined);
    expect(plan.inputs.map((i) => i.file)).toEqual(["apps/api/template.yaml", "apps/main-stack.yaml", "apps/new/template.yml", "outside/template.yaml"]);
    expect(plan.scopeNote).toMatch(/git could not compare the commits \(0123456789ab is not a commit in this checkout\), so every template was analysed\.$/);
  });

  it("a socket that never answers costs about a second, not minutes, with the client's deadline", async () => {
    const { root, base } = repo();
    const sockets = new Set<Socket>();
    const server = createServer(() => undefined); // accepts, reads, never answers
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    nock.enableNetConnect("127.0.0.1");
    try {
      const hanging = new GitHubClient({ token: "t", apiUrl: url, timeoutMs: 300, deadlineMs: 1_000, backoffMs: 50 });
      const started = performance.now();
      const plan = await planRun(inputs({ "working-directory": "apps" }), { ...context(root, base, true), apiUrl: url }, hanging, () => undefined);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(plan.inputs.map((i) => i.file)).toEqual(touched);
      expect(plan.scopeNote).toMatch(/no response within 0?\.?\d* ?s|gave up after/);
    } finally {
      nock.disableNetConnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
