/**
 * Concurrent writers of the history branch: several runs that finish at the
 * same moment all land their records, however often they collide, and a
 * history that never stops changing makes the writer give up after its time
 * budget with a loud error that leaves the gate alone. Time is virtual (an
 * injected clock, sleep and random), so these tests run instantly.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunContext } from "../../src/action/context.js";
import { historyStep, runHistoryStep } from "../../src/action/history-step.js";
import { readInputs } from "../../src/action/inputs.js";
import { gatePassed } from "../../src/action/report-outputs.js";
import { checkTemplates } from "../../src/app/check.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { parseHistory, serializeHistory } from "../../src/history/parse.js";
import { HistoryConflictError, appendBranchHistory } from "../../src/history/store-github.js";
import type { BranchAppendResult, BranchStoreOptions } from "../../src/history/store-github.js";
import { HistoryError } from "../../src/history/types.js";
import { readCorpus } from "../support/corpus.js";
import { API, FakeGitHub } from "./fake-github.js";
import { record, series } from "./fixtures.js";

let github: FakeGitHub;

beforeEach(() => {
  nock.disableNetConnect();
  github = new FakeGitHub();
  github.install();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** A writer's own virtual time: `sleep` moves its clock on and resolves at once. */
function virtualTime(seed: number) {
  let now = 0;
  let state = seed >>> 0 || 1;
  const sleeps: number[] = [];
  return {
    sleeps,
    elapsed: () => now,
    options: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      // xorshift32: deterministic jitter.
      random: () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 2 ** 32;
      },
    } satisfies Partial<BranchStoreOptions>,
  };
}

function options(extra: Partial<BranchStoreOptions> = {}): BranchStoreOptions {
  return { token: "t0ken", owner: "octo", repo: "app", baseUrl: API, ...extra };
}

function storedShas(): string[] {
  const text = github.historyText();
  if (text === undefined) throw new Error("no history file on the branch");
  return parseHistory(text, "branch").records.map((r) => r.sha);
}

/**
 * Runs the writers in lock step, the worst case for optimistic concurrency:
 * every PUT is held until each writer still running has read the file and sent
 * its PUT, then all are let go together. All of a round's PUTs carry the same
 * blob SHA, so exactly one lands and every other one conflicts: the last
 * writer needs as many tries as there are writers.
 */
async function lockStep(writers: Array<() => Promise<BranchAppendResult>>): Promise<{ settled: PromiseSettledResult<BranchAppendResult>[]; rounds: number }> {
  let running = writers.length;
  const held: Array<() => void> = [];
  let rounds = 0;
  const release = () => {
    if (held.length === 0 || held.length < running) return;
    rounds++;
    for (const go of held.splice(0)) go();
  };
  github.beforePut = () =>
    new Promise<void>((resolve) => {
      held.push(resolve);
      release();
    });
  const settled = await Promise.allSettled(
    writers.map((write) =>
      write().finally(() => {
        running--;
        release();
      }),
    ),
  );
  return { settled, rounds };
}

describe("six synchronised writers", () => {
  const SIX = ["run-1", "run-2", "run-3", "run-4", "run-5", "run-6"];

  it("all land their records when every round lets only one of them through", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    const before = storedShas();
    const clocks = SIX.map((_, i) => virtualTime(i + 1));
    const { settled, rounds } = await lockStep(SIX.map((sha, i) => () => appendBranchHistory(options(clocks[i]?.options), [record(sha, 60 + i)])));

    const failures = settled.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    expect(failures).toEqual([]);
    expect(storedShas().slice(0, 1)).toEqual(before);
    expect(storedShas().slice(1).sort()).toEqual(SIX);
    expect(rounds).toBe(6);
    const attempts = settled.map((s) => (s.status === "fulfilled" ? s.value.attempts : 0)).sort();
    // One writer landed in each round: 1, 2, ... 6 tries.
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6]);
    expect(github.puts).toHaveLength(6 + 5 + 4 + 3 + 2 + 1);
    // Each conflict was re-read and retried after a jittered, growing, capped wait, well inside the budget.
    for (const clock of clocks) {
      for (const [i, ms] of clock.sleeps.entries()) {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(Math.min(5_000, 250 * 2 ** i));
      }
      expect(clock.elapsed()).toBeLessThan(60_000);
    }
    expect(github.log("sam-fitness-history")).toHaveLength(1 + 6);
  });

  it("all land their records when they also race to create the branch", async () => {
    const clocks = SIX.map((_, i) => virtualTime(100 + i));
    // Hold the ref creation until all six have made their root commit, so that all six try to create the branch.
    const commits = () => github.requests.filter((r) => r === "POST /repos/octo/app/git/commits").length;
    github.beforeRef = async () => {
      for (let i = 0; i < 400 && commits() < SIX.length; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const settled = await Promise.allSettled(SIX.map((sha, i) => appendBranchHistory(options(clocks[i]?.options), [record(sha, 70 + i)])));
    expect(settled.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []))).toEqual([]);
    expect(storedShas().sort()).toEqual(SIX);
    expect(github.requests.filter((r) => r === "POST /repos/octo/app/git/refs")).toHaveLength(6);
    // The branch still holds only the history file, from a root commit of its own.
    const chain = github.log("sam-fitness-history");
    expect(chain).toHaveLength(6);
    expect(chain.at(-1)?.parents).toEqual([]);
    for (const commit of chain) expect([...commit.tree.keys()]).toEqual(["fitness-history.json"]);
  });
});

describe("a history that never stops changing", () => {
  /** Another run writes between every read and write of ours. */
  function alwaysConflicting(): void {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    let n = 0;
    github.beforePut = () => {
      github.setHistory(serializeHistory({ version: 1, records: [...series([50]), record(`busy${n++}`, 1)] }));
    };
  }

  it("is retried with capped exponential backoff until the time budget is spent, then a clear error", async () => {
    alwaysConflicting();
    const clock = virtualTime(1);
    const error = await appendBranchHistory(options({ ...clock.options, random: () => 0.5 }), [record("ours", 66)]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HistoryConflictError);
    expect(error).toBeInstanceOf(HistoryError);
    const conflict = error as HistoryConflictError;
    // Full jitter at 0.5: half of 250 ms doubling, capped at 5 s; the last wait only up to the budget's end.
    expect(clock.sleeps).toEqual([125, 250, 500, 1000, 2000, ...Array<number>(22).fill(2500), 1125]);
    expect(clock.elapsed()).toBe(60_000);
    expect(conflict.attempts).toBe(clock.sleeps.length + 1);
    expect(conflict.elapsedMs).toBe(60_000);
    expect(conflict.lastConflict).toMatch(/^HTTP 409/);
    expect(conflict.message).toMatch(
      /^History octo\/app@sam-fitness-history:fitness-history\.json kept changing while writing: gave up after 29 tries in 60 s \(last conflict: HTTP 409 .*\)\. No record was lost from the file; this run's 1 record\(s\) were not added\.$/,
    );
    // Every try re-read the file and wrote over the SHA it had just read.
    expect(github.puts).toHaveLength(29);
    expect(github.requests.filter((r) => r.startsWith("GET /repos/octo/app/contents/"))).toHaveLength(29);
    expect(storedShas()).not.toContain("ours");
  });

  it("honours a shorter budget", async () => {
    alwaysConflicting();
    const clock = virtualTime(7);
    await expect(appendBranchHistory(options({ ...clock.options, conflictBudgetMs: 1_000 }), [record("ours", 66)])).rejects.toThrow(
      /gave up after \d+ tries in 1 s/,
    );
    expect(clock.elapsed()).toBe(1_000);
  });

  it("fails the history step loudly, with an error annotation, and leaves the gate alone", async () => {
    alwaysConflicting();
    const clock = virtualTime(3);
    const run: RunContext = {
      eventName: "push",
      owner: "octo",
      repo: "app",
      sha: "c".repeat(40),
      runId: 1,
      runAttempt: 1,
      serverUrl: "https://github.com",
      apiUrl: API,
      graphqlUrl: `${API}/graphql`,
      workspace: mkdtempSync(join(tmpdir(), "sam-fitness-history-")),
      pullRequest: null,
      pushBefore: null,
      ref: "refs/heads/main",
      defaultBranch: "main",
    };
    const inputs = readInputs((name) => ({ history: "branch", "github-token": "t0ken" })[name] ?? "");
    const report = checkTemplates([{ file: "template.yaml", head: readCorpus("seed/evolutionary-template.yaml"), base: undefined }], defaultConfig(), {
      toolVersion: "test",
      configPath: null,
    });
    const passed = gatePassed(report);
    const calls: Array<[string, string, unknown?]> = [];
    const log = {
      info: (m: string) => void calls.push(["info", m]),
      warning: (m: string, p?: unknown) => void calls.push(["warning", m, p]),
      error: (m: string, p?: unknown) => void calls.push(["error", m, p]),
      notice: (m: string, p?: unknown) => void calls.push(["notice", m, p]),
      setFailed: (m: string) => void calls.push(["setFailed", m]),
    };

    const result = await runHistoryStep(inputs, run, report, log, { branch: clock.options });

    expect(result.status).toBe("failed");
    expect(result.trend).toBeNull();
    expect(result.problem).toMatch(/gave up after \d+ tries in 60 s/);
    const errors = calls.filter(([kind]) => kind === "error");
    expect(errors).toEqual([
      [
        "error",
        expect.stringMatching(
          /^sam-fitness history: History octo\/app@sam-fitness-history:fitness-history\.json kept changing while writing: gave up after \d+ tries in 60 s \(last conflict: HTTP 409 .*\)\. .*this run's 1 record\(s\) were not added\. Re-run the workflow to record them\.$/s,
        ),
        { title: "sam-fitness history" },
      ],
    ]);
    // Loud, but the history step only: the job is not failed for it, nothing is warned twice, and the gate is as it was.
    expect(calls.filter(([kind]) => kind === "setFailed" || kind === "warning")).toEqual([]);
    expect(calls.some(([kind, m]) => kind === "info" && /recorded/.test(m))).toBe(false);
    expect(gatePassed(report)).toBe(passed);
    expect(report.gate.passed).toBe(passed);

    // The trend-only entry point the Action calls says the same, and returns no trend.
    calls.length = 0;
    expect(await historyStep(inputs, run, report, log, { branch: virtualTime(4).options })).toBeNull();
    expect(calls.filter(([kind]) => kind === "error")).toHaveLength(1);
    expect(calls.filter(([kind]) => kind === "setFailed")).toEqual([]);
  });

  it("a history step whose write lands says so", async () => {
    github.setHistory(serializeHistory({ version: 1, records: series([50]) }));
    const run: RunContext = {
      eventName: "workflow_dispatch",
      owner: "octo",
      repo: "app",
      sha: "d".repeat(40),
      runId: 1,
      runAttempt: 1,
      serverUrl: "https://github.com",
      apiUrl: API,
      graphqlUrl: `${API}/graphql`,
      workspace: mkdtempSync(join(tmpdir(), "sam-fitness-history-")),
      pullRequest: null,
      pushBefore: null,
      ref: "refs/heads/main",
      defaultBranch: "main",
    };
    const inputs = readInputs((name) => ({ history: "branch", "github-token": "t0ken" })[name] ?? "");
    const report = checkTemplates([{ file: "template.yaml", head: readCorpus("seed/evolutionary-template.yaml"), base: undefined }], defaultConfig(), {
      toolVersion: "test",
      configPath: null,
    });
    const errors: string[] = [];
    const result = await runHistoryStep(inputs, run, report, { info: () => {}, warning: (m) => errors.push(m), error: (m) => errors.push(m) }, {
      branch: virtualTime(5).options,
    });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: "recorded", problem: null });
    expect(storedShas()).toContain("d".repeat(40));
  });
});
