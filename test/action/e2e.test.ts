/**
 * End to end: the built action (`node dist/index.js`) run as the runner runs
 * it, on a temporary git repository with a base and a head commit, against a
 * fake GitHub API on 127.0.0.1.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { actionBundle, ensureBuilt as ensureBundles, repoRoot } from "../support/bundle.js";
import { FakeGitHub } from "./fake-github.js";
import { runnerCommands } from "../support/runner-commands.js";

const corpus = new URL("../../../shared/corpus/", import.meta.url);
/** SAM_FITNESS_E2E_BUNDLE runs another build of the action instead of dist/ (it is then not rebuilt). */
const override = process.env.SAM_FITNESS_E2E_BUNDLE;
const bundle = override ?? actionBundle;
const TOKEN = "ghs_e2eSecretToken0000";
const PR = 5;

/** Builds dist/ unless another build of the action is under test. */
function ensureBuilt(): void {
  if (!override) ensureBundles();
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

interface Workspace {
  dir: string;
  baseSha: string;
  headSha: string;
}

/** Base: the seed template. Head: its encrypted bucket loses encryption, a new service template is added. */
function makeWorkspace(headTemplate?: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "sam-fitness-e2e-"));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "e2e@example.com");
  git(dir, "config", "user.name", "e2e");
  const seed = readFileSync(new URL("seed/evolutionary-template.yaml", corpus), "utf8");
  writeFileSync(join(dir, "template.yaml"), seed);
  writeFileSync(join(dir, "README.md"), "app\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "base");
  const baseSha = git(dir, "rev-parse", "HEAD");

  const weakened = seed.replace(/( {2}encryptedBucket:\n {4}Type: 'AWS::S3::Bucket'\n) {4}Properties:\n {6}BucketEncryption:\n(?: {8,}.*\n)+/, "$1");
  expect(weakened).not.toBe(seed);
  writeFileSync(join(dir, "template.yaml"), headTemplate ?? weakened);
  mkdirSync(join(dir, "services", "orders"), { recursive: true });
  writeFileSync(
    join(dir, "services", "orders", "template.yaml"),
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  OrdersQueue:",
      "    Type: AWS::SQS::Queue",
      "  OrdersFunction:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Runtime: nodejs20.x",
      "      Handler: index.handler",
      "      CodeUri: src/",
      "      Events:",
      "        FromQueue:",
      "          Type: SQS",
      "          Properties:",
      "            Queue: !GetAtt OrdersQueue.Arn",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "README.md"), "app, changed\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "head");
  return { dir, baseSha, headSha: git(dir, "rev-parse", "HEAD") };
}

interface RunResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

interface RunEvent {
  name: string;
  payload: unknown;
}

/** The pull_request event of the workspace's head commit. */
function pullRequestEvent(workspace: Workspace): RunEvent {
  return {
    name: "pull_request",
    payload: {
      action: "synchronize",
      number: PR,
      pull_request: {
        number: PR,
        base: { sha: workspace.baseSha, ref: "main", repo: { full_name: "acme/shop" } },
        head: { sha: workspace.headSha, ref: "feature", repo: { full_name: "acme/shop" } },
      },
      repository: { full_name: "acme/shop" },
    },
  };
}

async function runAction(
  workspace: Workspace,
  api: FakeGitHub,
  runId: number,
  inputs: Record<string, string> = {},
  event: RunEvent = pullRequestEvent(workspace),
): Promise<RunResult> {
  const temp = mkdtempSync(join(tmpdir(), "sam-fitness-runner-"));
  const eventPath = join(temp, "event.json");
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const outputFile = join(temp, "output");
  const summaryFile = join(temp, "summary.md");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_SHA: workspace.headSha,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: api.url,
    GITHUB_GRAPHQL_URL: `${api.url}/graphql`,
    GITHUB_WORKSPACE: workspace.dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: temp,
    "INPUT_GITHUB-TOKEN": TOKEN,
    INPUT_COMMENT: "update",
    INPUT_ANNOTATIONS: "true",
    "INPUT_WORKING-DIRECTORY": ".",
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [bundle], { cwd: workspace.dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, outputs: parseOutputs(readFileSync(outputFile, "utf8")), summary: readFileSync(summaryFile, "utf8") };
}

/** Parses the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? "");
    outputs[match[1] as string] = value.join("\n");
  }
  return outputs;
}

const pullFiles = [
  { filename: "template.yaml", status: "modified" },
  { filename: "services/orders/template.yaml", status: "added" },
  { filename: "README.md", status: "modified" },
];

describe("the built action on a pull request", () => {
  let api: FakeGitHub;
  let workspace: Workspace;

  beforeAll(async () => {
    ensureBuilt();
    workspace = makeWorkspace();
    api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles });
    await api.start();
  }, 320_000);
  afterAll(async () => api?.stop());

  it("posts one comment, then updates it in place on the next run", async () => {
    const first = await runAction(workspace, api, 100);
    expect(first.code, first.stdout).toBe(0);
    expect(api.comments).toHaveLength(1);
    const comment = api.comments[0]!;
    expect(comment.body).toContain("<!-- sam-fitness-report -->");
    expect(comment.body).toContain(`sam-fitness-run sha=${workspace.headSha} run=100 attempt=1`);
    expect(comment.body).toContain("template.yaml");
    expect(comment.body).toContain("services/orders/template.yaml");
    // Links go to the lines of the commit that was analysed (the checkout's HEAD).
    expect(comment.body).toContain(`https://github.com/acme/shop/blob/${workspace.headSha}/template.yaml#L`);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    // Outputs: a head score below the base score (encryption removed).
    expect(Number(first.outputs["score"])).toBeGreaterThan(0);
    expect(Number(first.outputs["base-score"])).toBeGreaterThan(0);
    expect(Number(first.outputs["delta"])).toBeLessThan(0);
    expect(first.outputs["passed"]).toBe("true");
    expect(first.outputs["comment-url"]).toBe(comment.html_url);
    const report = JSON.parse(readFileSync(first.outputs["report-path"]!, "utf8")) as { templates: { file: string; change: string }[] };
    expect(report.templates.map((t) => [t.file, t.change])).toEqual([
      ["services/orders/template.yaml", "added"],
      ["template.yaml", "modified"],
    ]);
    expect(first.summary).toContain("<!-- sam-fitness-report -->");

    // The encryption finding on the bucket that lost it is annotated on its line.
    expect(first.stdout).toMatch(/::warning title=sam-fitness%3A s3-bucket-server-side-encryption-enabled,file=template\.yaml,line=7::encryptedBucket/);
    // The token is only ever handed to the runner's masking command.
    expect(first.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::")).join("\n")).not.toContain(TOKEN);

    const second = await runAction(workspace, api, 101);
    expect(second.code, second.stdout).toBe(0);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.id).toBe(comment.id);
    expect(api.comments[0]!.body).toContain("run=101 attempt=1");
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(second.outputs["comment-url"]).toBe(comment.html_url);
  });

  it("leaves a newer run's comment alone when an older run finishes late", async () => {
    const before = api.comments[0]!.body;
    const stale = await runAction(workspace, api, 99);
    expect(stale.code).toBe(0);
    expect(api.comments[0]!.body).toBe(before);
    expect(stale.stdout).toContain("newer run");
  });

  it("fails the step with the gate's reason when the score drops more than max-decrease", async () => {
    const result = await runAction(workspace, api, 102, { "max-decrease": "0.1", threshold: "" });
    expect(result.code).toBe(1);
    expect(result.outputs["passed"]).toBe("false");
    expect(result.stdout).toMatch(/::error::sam-fitness gate failed:.*template\.yaml/);
    expect(api.comments).toHaveLength(1);
  });
});

describe("the README's example workflow", () => {
  it("runs with the example's inputs: gate, annotations and a SARIF file", async () => {
    const workflow = parseYaml(readFileSync(join(repoRoot, "examples", "workflows", "sam-fitness.yml"), "utf8")) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const step = workflow.jobs["fitness"]!.steps.find((s) => s.uses?.includes("sam-fitness@"))!;
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
    expect(inputs).toMatchObject({ threshold: "60", "max-decrease": "5", "sarif-file": "sam-fitness.sarif" });
    ensureBuilt();
    const workspace = makeWorkspace();
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles });
    await api.start();
    try {
      const result = await runAction(workspace, api, 500, inputs);
      const sarif = JSON.parse(readFileSync(join(workspace.dir, "sam-fitness.sarif"), "utf8")) as { version: string; runs: { results: unknown[] }[] };
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
      // The seed's head drops more than 5 points against its base: the example's gate fails the step, naming why.
      // The head scores below the example's threshold of 60: the step fails and says why.
      expect(Number(result.outputs["score"])).toBeLessThan(60);
      expect(result.outputs["passed"]).toBe("false");
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/::error::sam-fitness gate failed:.*below the threshold 60/);
      expect(api.comments).toHaveLength(1);
    } finally {
      await api.stop();
    }
  }, 60_000);
});

describe("the built action in the workflow_run pattern", () => {
  let workspace: Workspace;
  /** comment.json of a `comment: off` pull_request run (no comment posted there). */
  let commentFile: string;
  let prComment: { version: number; repository: string; pullRequest: number; headSha: string; body: string };

  beforeAll(async () => {
    ensureBuilt();
    workspace = makeWorkspace();
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles, readOnly: true });
    await api.start();
    try {
      const result = await runAction(workspace, api, 400, { comment: "off" });
      expect(result.code, result.stdout).toBe(0);
      expect(api.comments).toHaveLength(0);
      expect(api.requests.filter((r) => r.method !== "GET")).toEqual([]);
      commentFile = result.outputs["comment-file"] ?? "";
      expect(commentFile).toBe(join(dirname(result.outputs["report-path"] ?? ""), "comment.json"));
      prComment = JSON.parse(readFileSync(commentFile, "utf8")) as typeof prComment;
    } finally {
      await api.stop();
    }
  }, 320_000);

  it("a pull_request run writes comment.json with the comment it would post, even with comment: off", () => {
    expect(Object.keys(prComment)).toEqual(["version", "repository", "pullRequest", "headSha", "body"]);
    expect(prComment).toMatchObject({ version: 1, repository: "acme/shop", pullRequest: PR, headSha: workspace.headSha });
    expect(prComment.body.startsWith("<!-- sam-fitness-report -->")).toBe(true);
    expect(prComment.body).toContain("services/orders/template.yaml");
    expect(prComment.body).not.toContain("sam-fitness-run");
  });

  /** Runs the action with comment-from in an empty workspace (nothing checked out), on a workflow_run event. */
  async function relay(api: FakeGitHub, headSha: string, eventName = "workflow_run"): Promise<RunResult> {
    const dir = mkdtempSync(join(tmpdir(), "sam-fitness-relay-"));
    mkdirSync(join(dir, "artifact"));
    writeFileSync(join(dir, "artifact", "comment.json"), readFileSync(commentFile));
    const payload = {
      action: "completed",
      workflow_run: { id: 400, run_attempt: 1, head_sha: headSha, event: "pull_request", head_repository: { full_name: "acme/shop" }, pull_requests: [] },
      repository: { full_name: "acme/shop" },
    };
    return runAction({ dir, baseSha: "", headSha: "" }, api, 401, { "comment-from": "artifact/comment.json", comment: "update" }, { name: eventName, payload });
  }

  it("a workflow_run run posts that comment on the PR, stamped with the PR run, and sets only comment-url", async () => {
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles, pullHead: { sha: workspace.headSha, repo: "acme/shop" } });
    await api.start();
    try {
      const result = await relay(api, workspace.headSha);
      expect(result.code, result.stdout).toBe(0);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body.startsWith(prComment.body.trimEnd())).toBe(true);
      expect(api.comments[0]!.body).toContain(`sam-fitness-run sha=${workspace.headSha} run=400 attempt=1`);
      expect(result.outputs).toEqual({ "comment-url": api.comments[0]!.html_url });
      expect(api.requests.some((r) => r.path.endsWith("/files"))).toBe(false);
      expect(result.summary).toBe("");
    } finally {
      await api.stop();
    }
  });

  it("fails without posting when the PR's head moved on, the event's SHA differs, or the event is not workflow_run", async () => {
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles, pullHead: { sha: "f".repeat(40), repo: "acme/shop" } });
    await api.start();
    try {
      const moved = await relay(api, workspace.headSha);
      expect(moved.code).toBe(1);
      expect(moved.stdout).toMatch(/::error::sam-fitness: pull request #5's head is f{40}, not [0-9a-f]{40} .*not posted/);
      const otherCommit = await relay(api, "e".repeat(40));
      expect(otherCommit.code).toBe(1);
      expect(otherCommit.stdout).toContain(`the comment file is for commit ${workspace.headSha}, but the workflow run that triggered this one ran on ${"e".repeat(40)}`);
      const wrongEvent = await relay(api, workspace.headSha, "pull_request_target");
      expect(wrongEvent.code).toBe(1);
      expect(wrongEvent.stdout).toContain('comment-from only works in a workflow started by workflow_run (this run was started by "pull_request_target")');
      expect(api.comments).toHaveLength(0);
      expect(api.requests.filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});

describe("the built action in harder conditions", () => {
  it("a fork PR's read-only token: warns, keeps summary, outputs and gate, skips the live check, never crashes", async () => {
    const workspace = makeWorkspace();
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles, readOnly: true });
    await api.start();
    try {
      const event = pullRequestEvent(workspace);
      const pull = (event.payload as { pull_request: { head: { repo: { full_name: string } } } }).pull_request;
      pull.head.repo.full_name = "mallory/shop";
      const result = await runAction(workspace, api, 200, { threshold: "100.5", "stack-name": "shop-prod" }, event);
      expect(result.stdout).toMatch(/::warning::sam-fitness could not post the PR comment/);
      // The live check never runs for a fork, and the report says why.
      expect(result.stdout).toMatch(/::notice::sam-fitness: The pull request comes from the fork mallory\/shop/);
      expect(result.summary).toMatch(/### Live stack\s+Not checked: The pull request comes from the fork mallory\/shop/);
      expect(result.outputs["live-score"] ?? "").toBe("");
      expect(result.summary).toContain("<!-- sam-fitness-report -->");
      expect(result.outputs["comment-url"]).toBe("");
      expect(result.outputs["passed"]).toBe("false");
      expect(result.code).toBe(1);
    } finally {
      await api.stop();
    }
  });

  it("a broken config fails the step, annotated on its line, and the comment says so instead of showing old results", async () => {
    const workspace = makeWorkspace();
    mkdirSync(join(workspace.dir, ".github"), { recursive: true });
    writeFileSync(join(workspace.dir, ".github", "sam-fitness.yml"), "threshold: 50\nrules:\n  no-such-rule: { weight: 2 }\n");
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles });
    await api.start();
    try {
      const result = await runAction(workspace, api, 400);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/::error title=sam-fitness config,file=\.github\/sam-fitness\.yml,line=3::/);
      expect(result.outputs["passed"]).toBe("false");
      expect(result.summary).toContain("sam-fitness could not analyse this change");
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toMatch(/no-such-rule/);
    } finally {
      await api.stop();
    }
  });

  it("links to the lines of the checked-out commit (GitHub's merge commit), not the PR head's", async () => {
    const workspace = makeWorkspace();
    // actions/checkout's default on pull_request: a merge commit on top of the PR head.
    git(workspace.dir, "commit", "-q", "--allow-empty", "-m", "Merge head into base");
    const merge = git(workspace.dir, "rev-parse", "HEAD");
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles });
    await api.start();
    try {
      const result = await runAction(workspace, api, 700);
      expect(result.code, result.stdout).toBe(0);
      const body = api.comments[0]!.body;
      expect(body).toContain(`https://github.com/acme/shop/blob/${merge}/template.yaml#L`);
      expect(body).not.toContain(`/blob/${workspace.headSha}/`);
    } finally {
      await api.stop();
    }
  });

  it("an invalid template fails the step with the parse error annotated on its line", async () => {
    const broken = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties: [unclosed\n";
    const workspace = makeWorkspace(broken);
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles });
    await api.start();
    try {
      const result = await runAction(workspace, api, 300);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/::error title=[^,\n]*,file=template\.yaml,line=\d+/);
      expect(result.stdout).toMatch(/cannot be analysed/);
      expect(api.comments).toHaveLength(1);
    } finally {
      await api.stop();
    }
  });

  it("a template path that writes workflow commands issues none: no forged annotation, mask or stop-commands", async () => {
    const workspace = makeWorkspace();
    // Legal in git: a folder name holding a newline and commands, and one that starts with "::".
    const hostile = ["svc\n::error title=Forged,file=README.md,line=1::pwned", "::add-mask::shop", "x\n::stop-commands::tok\n##[add-mask]app"];
    for (const folder of hostile) {
      mkdirSync(join(workspace.dir, folder), { recursive: true });
      writeFileSync(join(workspace.dir, folder, "template.yaml"), readFileSync(join(workspace.dir, "services", "orders", "template.yaml"), "utf8"));
    }
    git(workspace.dir, "add", ".");
    git(workspace.dir, "commit", "-q", "-m", "hostile names");
    const headSha = git(workspace.dir, "rev-parse", "HEAD");
    const files = [...pullFiles, ...hostile.map((folder) => ({ filename: `${folder}/template.yaml`, status: "added" }))];
    const api = new FakeGitHub({ owner: "acme", repo: "shop", pullNumber: PR, pullFiles: files });
    await api.start();
    try {
      const result = await runAction({ ...workspace, headSha }, api, 800);
      expect(result.code, result.stdout).toBe(0);
      const commands = runnerCommands(result.stdout);
      // Only the action's own commands: its token's mask and its annotations (warnings on findings).
      expect(commands.filter((c) => c.name !== "warning" && c.name !== "notice").map((c) => c.line)).toEqual([`::add-mask::${TOKEN}`]);
      // The name is the annotation's file, escaped whole: it cannot set a file or line of its own.
      expect(commands.filter((c) => /(?:^::\w+ |,)file=README\.md/.test(c.line))).toEqual([]);
      // The log still names the folder, its line break shown as %0A on the same line.
      expect(result.stdout).toMatch(/^Analysing .*svc%0A::error title=Forged/m);
      // All three templates were analysed and reported under their real names.
      expect(api.comments[0]!.body).toContain("add-mask");
    } finally {
      await api.stop();
    }
  });
});
