import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunContext } from "../../src/action/context.js";
import { InputError, readInputs, splitList } from "../../src/action/inputs.js";

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("readInputs", () => {
  it("applies the documented defaults", () => {
    const inputs = readInputs(reader({ "github-token": "t" }));
    expect(inputs).toMatchObject({
      templates: [],
      scope: "changed",
      comment: "update",
      threshold: null,
      maxDecrease: null,
      annotations: true,
      sarifFile: null,
      workingDirectory: ".",
      liveRequired: false,
    });
  });

  it("parses lists, numbers and booleans", () => {
    const inputs = readInputs(
      reader({ templates: "apps/*/template.yaml\n# comment\n, !apps/legacy/**", threshold: "72.5", "max-decrease": "3", annotations: "no", comment: "Hide-And-New" }),
    );
    expect(inputs.templates).toEqual(["apps/*/template.yaml", "!apps/legacy/**"]);
    expect(inputs.threshold).toBe(72.5);
    expect(inputs.maxDecrease).toBe(3);
    expect(inputs.annotations).toBe(false);
    expect(inputs.comment).toBe("hide-and-new");
  });

  it("rejects bad values with the input's name", () => {
    expect(() => readInputs(reader({ comment: "sticky" }))).toThrow(/Input "comment" must be one of update, new, hide-and-new, delete-and-new, off/);
    expect(() => readInputs(reader({ threshold: "high" }))).toThrow(InputError);
    expect(() => readInputs(reader({ annotations: "maybe" }))).toThrow(/"annotations"/);
  });

  it("reads comment-from as a path, absent by default", () => {
    expect(readInputs(reader({})).commentFrom).toBeNull();
    expect(readInputs(reader({ "comment-from": " /tmp/artifact/comment.json " })).commentFrom).toBe("/tmp/artifact/comment.json");
  });

  it("splits on newlines and commas", () => {
    expect(splitList(" a ,b\n\n c ")).toEqual(["a", "b", "c"]);
  });
});

describe("readRunContext", () => {
  const dir = mkdtempSync(join(tmpdir(), "ctx-"));
  const payloadFile = (payload: unknown) => {
    const file = join(dir, `${Math.random()}.json`);
    writeFileSync(file, typeof payload === "string" ? payload : JSON.stringify(payload));
    return file;
  };
  const baseEnv = { GITHUB_REPOSITORY: "acme/shop", GITHUB_RUN_ID: "991", GITHUB_RUN_ATTEMPT: "2", GITHUB_SHA: "m".repeat(40) };

  it("reads a pull_request payload, detecting forks", () => {
    const context = readRunContext({
      ...baseEnv,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: payloadFile({
        number: 12,
        pull_request: { number: 12, base: { sha: "b".repeat(40), ref: "main" }, head: { sha: "h".repeat(40), repo: { full_name: "mallory/shop" } } },
      }),
    });
    expect(context).toMatchObject({ owner: "acme", repo: "shop", runId: 991, runAttempt: 2, apiUrl: "https://api.github.com" });
    expect(context.pullRequest).toEqual({ number: 12, baseSha: "b".repeat(40), headSha: "h".repeat(40), baseRef: "main", fromFork: true, headRepository: "mallory/shop" });
  });

  it("counts a PR whose head repository is gone (a deleted fork) as a fork, and ignores case", () => {
    const pr = (head: unknown) =>
      readRunContext({
        ...baseEnv,
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: payloadFile({ number: 3, pull_request: { number: 3, base: { sha: "b".repeat(40), ref: "main" }, head: { sha: "h".repeat(40), repo: head } } }),
      }).pullRequest;
    expect(pr(null)).toMatchObject({ fromFork: true, headRepository: null });
    expect(pr({ full_name: "Acme/Shop" })).toMatchObject({ fromFork: false });
  });

  it("treats a malformed or missing payload as no pull request", () => {
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: payloadFile("{not json") }).pullRequest).toBeNull();
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: payloadFile({ pull_request: { number: "12" } }) }).pullRequest).toBeNull();
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "pull_request" }).pullRequest).toBeNull();
  });

  it("uses the push's before commit as base, except for a new branch", () => {
    const sha = "a1".repeat(20);
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: payloadFile({ before: sha }) }).pushBefore).toBe(sha);
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: payloadFile({ before: "0".repeat(40) }) }).pushBefore).toBeNull();
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_EVENT_PATH: payloadFile({ before: sha }) }).pushBefore).toBeNull();
  });

  it("reads the triggering run of a workflow_run event, and only for that event", () => {
    const payload = {
      action: "completed",
      workflow_run: { id: 5001, run_attempt: 3, head_sha: "AB".repeat(20), event: "pull_request", head_repository: { full_name: "mallory/shop" }, pull_requests: [] },
    };
    const context = readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "workflow_run", GITHUB_EVENT_PATH: payloadFile(payload) });
    expect(context.pullRequest).toBeNull();
    expect(context.workflowRun).toEqual({ id: 5001, runAttempt: 3, headSha: "ab".repeat(20), headRepository: "mallory/shop", event: "pull_request" });
    expect(readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: payloadFile(payload) }).workflowRun).toBeNull();
  });

  it("keeps only valid fields of a workflow_run payload", () => {
    const read = (run: unknown) => readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: "workflow_run", GITHUB_EVENT_PATH: payloadFile({ workflow_run: run }) }).workflowRun;
    expect(read({ id: "5001", head_sha: "not-a-sha" })).toEqual({ id: null, runAttempt: 1, headSha: null, headRepository: null, event: null });
    expect(read(null)).toBeNull();
    expect(read("x")).toBeNull();
  });
});
