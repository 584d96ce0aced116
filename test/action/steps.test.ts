import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTemplates } from "../../src/app/check.js";
import { codeRulesAllowed, fileLink } from "../../src/action/analyse.js";
import type { RunContext } from "../../src/action/context.js";
import { historyStep, recordsThisRun } from "../../src/action/history-step.js";
import { readInputs } from "../../src/action/inputs.js";
import type { ActionInputs } from "../../src/action/inputs.js";
import { liveStep } from "../../src/action/live-step.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { readCorpus } from "../support/corpus.js";

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    eventName: "push",
    owner: "acme",
    repo: "shop",
    sha: "c".repeat(40),
    runId: 1,
    runAttempt: 1,
    serverUrl: "https://github.com",
    apiUrl: "http://127.0.0.1:9",
    graphqlUrl: "http://127.0.0.1:9/graphql",
    workspace: mkdtempSync(join(tmpdir(), "sam-fitness-steps-")),
    pullRequest: null,
    pushBefore: null,
    ref: "refs/heads/main",
    defaultBranch: "main",
    ...overrides,
  };
}

function inputs(values: Record<string, string>): ActionInputs {
  return readInputs((name) => values[name] ?? "");
}

const SEED = readCorpus("seed/evolutionary-template.yaml");
const report = (): ReturnType<typeof checkTemplates> =>
  checkTemplates([{ file: "template.yaml", head: SEED, base: undefined }], defaultConfig(), { toolVersion: "test", configPath: null });
const silent = { info: (): void => {}, warning: (): void => {} };

describe("history in the Action", () => {
  it("records on pushes to the default branch and manual runs only", () => {
    expect(recordsThisRun(context())).toBe(true);
    expect(recordsThisRun(context({ ref: "refs/heads/feature" }))).toBe(false);
    expect(recordsThisRun(context({ eventName: "workflow_dispatch", ref: "refs/heads/feature" }))).toBe(true);
    expect(recordsThisRun(context({ eventName: "pull_request", ref: "refs/pull/3/merge" }))).toBe(false);
    expect(recordsThisRun(context({ defaultBranch: null }))).toBe(false);
  });

  it("appends to a history file on the default branch and shows the PR as the projected point", async () => {
    const push = context();
    const first = await historyStep(inputs({ history: "file:fitness.json" }), push, report(), silent);
    const file = JSON.parse(readFileSync(join(push.workspace, "fitness.json"), "utf8")) as { records: { sha: string; score: number }[] };
    expect(file.records).toHaveLength(1);
    expect(file.records[0]?.sha).toBe("c".repeat(40));
    expect(first).toContain("xychart-beta");

    const pr = context({
      eventName: "pull_request",
      workspace: push.workspace,
      ref: "refs/pull/7/merge",
      pullRequest: { number: 7, baseSha: "b".repeat(40), headSha: "d".repeat(40), baseRef: "main", fromFork: false, headRepository: "acme/shop" },
    });
    const trend = await historyStep(inputs({ history: "file:fitness.json" }), pr, report(), silent);
    expect(trend).toContain("PR #7");
    // a PR never writes the history
    expect(JSON.parse(readFileSync(join(push.workspace, "fitness.json"), "utf8")).records).toHaveLength(1);
  });

  it("on a pull request with several templates, projects each onto its own trend", async () => {
    const push = context();
    const two = (): ReturnType<typeof checkTemplates> =>
      checkTemplates(
        [
          { file: "orders/template.yaml", head: SEED, base: undefined },
          { file: "billing/template.yaml", head: readCorpus("sam-translator/input/function_with_deployment_preference.yaml"), base: undefined },
        ],
        defaultConfig(),
        { toolVersion: "test", configPath: null },
      );
    await historyStep(inputs({ history: "file:fitness.json" }), push, two(), silent);
    const pr = context({
      eventName: "pull_request",
      workspace: push.workspace,
      ref: "refs/pull/8/merge",
      pullRequest: { number: 8, baseSha: "b".repeat(40), headSha: "d".repeat(40), baseRef: "main", fromFork: false, headRepository: "acme/shop" },
    });
    const trend = (await historyStep(inputs({ history: "file:fitness.json" }), pr, two(), silent)) ?? "";
    expect(trend.match(/xychart-beta/g)).toHaveLength(2);
    expect(trend.match(/This PR \(PR \\#8\) would score \*\*[\d.]+\*\*, ±0 against the last recorded score/g)).toHaveLength(2);
  });

  it("keeps the recorded history and the trend when CloudWatch fails, with a warning of its own", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_CLOUDWATCH: "http://127.0.0.1:9",
      AWS_MAX_ATTEMPTS: "1",
    });
    try {
      const warnings: string[] = [];
      const push = context();
      const trend = await historyStep(inputs({ history: "file:fitness.json", "cloudwatch-namespace": "Fitness" }), push, report(), {
        info: () => {},
        warning: (m) => warnings.push(m),
      });
      expect(trend).toContain("xychart-beta");
      expect(JSON.parse(readFileSync(join(push.workspace, "fitness.json"), "utf8")).records).toHaveLength(1);
      expect(warnings).toEqual([expect.stringMatching(/^sam-fitness: CloudWatch metrics not published: .*cloudwatch:PutMetricData/)]);
    } finally {
      process.env = saved;
    }
  });

  it("says with a notice when CloudWatch is skipped for want of credentials", async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
    Object.assign(process.env, { AWS_REGION: "eu-west-1", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_CONFIG_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" });
    try {
      const notices: string[] = [];
      await historyStep(inputs({ history: "file:fitness.json", "cloudwatch-namespace": "Fitness" }), context(), report(), { ...silent, notice: (m) => notices.push(m) });
      expect(notices).toEqual(["sam-fitness: CloudWatch metrics not published: no AWS credentials were found."]);
    } finally {
      process.env = saved;
    }
  });

  it("turns history problems into warnings, never a failure", async () => {
    const push = context();
    writeFileSync(join(push.workspace, "broken.json"), "{ not json");
    const warnings: string[] = [];
    const trend = await historyStep(inputs({ history: "file:broken.json" }), push, report(), { info: () => {}, warning: (m) => warnings.push(m) });
    expect(trend).toBeNull();
    expect(warnings.join("\n")).toMatch(/broken\.json/);
    expect(readFileSync(join(push.workspace, "broken.json"), "utf8")).toBe("{ not json");
    expect(await historyStep(inputs({ history: "off" }), push, report(), silent)).toBeNull();
  });
});

describe("links to template lines", () => {
  it("point at the analysed commit (a merge commit's lines), else the PR head", () => {
    const pr = context({
      eventName: "pull_request",
      pullRequest: { number: 2, baseSha: "b".repeat(40), headSha: "d".repeat(40), baseRef: "main", fromFork: false, headRepository: "acme/shop" },
    });
    expect(fileLink(pr, "m".repeat(40))("app dir/template.yaml", 12)).toBe(`https://github.com/acme/shop/blob/${"m".repeat(40)}/app%20dir/template.yaml#L12`);
    expect(fileLink(pr)("template.yaml", 3)).toBe(`https://github.com/acme/shop/blob/${"d".repeat(40)}/template.yaml#L3`);
  });
});

describe("code rules and the live check on untrusted runs", () => {
  const pr = (fromFork: boolean): RunContext =>
    context({
      eventName: "pull_request",
      pullRequest: { number: 1, baseSha: "b", headSha: "h", baseRef: "main", fromFork, headRepository: fromFork ? "mallory/shop" : "acme/shop" },
    });

  it("loads code rules only when the workflow allows them, and never for forks or pull_request_target", () => {
    expect(codeRulesAllowed(inputs({}), context())).toBe(false);
    expect(codeRulesAllowed(inputs({ "allow-code-rules": "true" }), context())).toBe(true);
    expect(codeRulesAllowed(inputs({ "allow-code-rules": "true" }), pr(false))).toBe(true);
    expect(codeRulesAllowed(inputs({ "allow-code-rules": "true" }), pr(true))).toBe(false);
    expect(codeRulesAllowed(inputs({ "allow-code-rules": "true" }), context({ eventName: "pull_request_target" }))).toBe(false);
  });

  it("skips the live check for fork pull requests without failing", async () => {
    const step = await liveStep(inputs({ "stack-name": "shop", "live-required": "true" }), pr(true), [{ file: "template.yaml", head: SEED, base: null }], report(), defaultConfig());
    expect(step.live).toBeNull();
    expect(step.problem).toBeNull();
    expect(step.skipped).toMatch(/fork/);
  });

  it("does nothing without a stack name", async () => {
    expect(await liveStep(inputs({}), context(), [], report(), defaultConfig())).toEqual({ live: null, template: null, problem: null, skipped: null });
  });

  it("skips (a notice, never a failure) when the run analysed no template or not the stack's template", async () => {
    const none = await liveStep(inputs({ "stack-name": "shop", "live-required": "true" }), context(), [], report(), defaultConfig());
    expect(none).toMatchObject({ live: null, problem: null, skipped: expect.stringMatching(/analysed no template/) });
    const other = await liveStep(
      inputs({ "stack-name": "shop", "stack-template": "services/billing/template.yaml" }),
      context(),
      [{ file: "template.yaml", head: SEED, base: null }],
      report(),
      defaultConfig(),
    );
    expect(other).toMatchObject({ live: null, problem: expect.stringMatching(/stack-template services\/billing\/template\.yaml is not a file in the repository/), skipped: null });
    const run = context();
    mkdirSync(join(run.workspace, "services", "billing"), { recursive: true });
    writeFileSync(join(run.workspace, "services", "billing", "template.yaml"), SEED);
    const untouched = await liveStep(
      inputs({ "stack-name": "shop", "stack-template": "services/billing/template.yaml" }),
      run,
      [{ file: "template.yaml", head: SEED, base: null }],
      report(),
      defaultConfig(),
    );
    expect(untouched).toMatchObject({ live: null, problem: null, skipped: expect.stringMatching(/did not analyse services\/billing\/template\.yaml/) });
    const deleted = await liveStep(
      inputs({ "stack-name": "shop", "stack-template": "old/template.yaml" }),
      context(),
      [{ file: "old/template.yaml", head: null, base: SEED }],
      report(),
      defaultConfig(),
    );
    expect(deleted.problem).toMatch(/stack-template old\/template\.yaml is deleted by this change/);
  });

  it("never runs for a workflow_run of a fork's pull request", async () => {
    const run = context({
      eventName: "workflow_run",
      workflowRun: { id: 9, runAttempt: 1, headSha: "a".repeat(40), headRepository: "mallory/shop", event: "pull_request" },
    });
    const step = await liveStep(inputs({ "stack-name": "shop" }), run, [{ file: "template.yaml", head: SEED, base: null }], report(), defaultConfig());
    expect(step).toMatchObject({ live: null, problem: null, skipped: expect.stringMatching(/fork mallory\/shop/) });
  });
});
