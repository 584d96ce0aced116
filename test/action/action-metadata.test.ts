import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInputs } from "../../src/action/inputs.js";

const root = new URL("../../", import.meta.url);
const load = (path: string) => parse(readFileSync(new URL(path, root), "utf8")) as Record<string, unknown>;

interface ActionYml {
  runs: { using: string; main: string };
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}
interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; permissions?: unknown; steps: Step[] }>;
}

const action = load("action.yml") as unknown as ActionYml;

describe("action.yml", () => {
  it("runs the bundle on node24 with branding", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(action.branding.icon).toBeTruthy();
    expect(action.branding.color).toBeTruthy();
  });

  it("declares exactly the inputs the code reads, each documented", () => {
    const read = new Set<string>();
    readInputs((name) => {
      read.add(name);
      return "";
    });
    expect(new Set(Object.keys(action.inputs))).toEqual(read);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toMatch(/\w{3,}/);
    expect(action.inputs["github-token"]?.default).toBe("${{ github.token }}");
    expect(action.inputs["comment"]?.default).toBe("update");
  });

  it("declares the documented outputs", () => {
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(["score", "base-score", "delta", "passed", "report-path", "comment-url", "live-score", "comment-file"]));
    for (const [name, output] of Object.entries(action.outputs)) expect(output.description, name).toMatch(/\w{3,}/);
  });
});

describe("examples/workflows/sam-fitness.yml (embedded in the README)", () => {
  const workflow = load("examples/workflows/sam-fitness.yml") as unknown as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const ours = steps.find((s) => typeof s.uses === "string" && /sam-fitness@/.test(s.uses));

  it("gives each job only the permissions it needs: comment on pull requests, write the history on pushes", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "push"]);
    expect(workflow.permissions).toBeUndefined();
    expect(workflow.jobs["fitness"]).toMatchObject({ if: "github.event_name == 'pull_request'", permissions: { contents: "read", "pull-requests": "write" } });
    expect(workflow.jobs["history"]).toMatchObject({ if: "github.event_name == 'push'", permissions: { contents: "write" } });
    for (const job of Object.values(workflow.jobs)) {
      const step = job.steps.find((s) => typeof s.uses === "string" && /sam-fitness@/.test(s.uses));
      for (const key of Object.keys(step?.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
    }
  });

  it("checks out with history, then uses this action with documented inputs only", () => {
    const checkout = steps.findIndex((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect(steps[checkout]?.with?.["fetch-depth"]).toBe(0);
    expect(ours).toBeDefined();
    expect(steps.indexOf(ours as Step)).toBeGreaterThan(checkout);
    for (const key of Object.keys(ours?.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
    // The values must be accepted by the input parser.
    expect(() => readInputs((name) => String(ours?.with?.[name] ?? ""))).not.toThrow();
  });
});

describe("examples/workflows/sam-fitness-fork-prs.yml", () => {
  const workflow = load("examples/workflows/sam-fitness-fork-prs.yml") as unknown as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it("checks out the PR head as data only, without credentials, before using the action", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request_target"]);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(steps.map((s) => s.uses?.split("@")[0])).toEqual(["actions/checkout", "sam-fitness/sam-fitness"]);
    expect(steps[0]?.with).toMatchObject({ ref: "${{ github.event.pull_request.head.sha }}", "persist-credentials": false });
    for (const key of Object.keys(steps[1]?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
  });
});

describe("examples/workflows/sam-fitness-workflow-run-*.yml (fork PRs without a write token near PR code)", () => {
  const pr = load("examples/workflows/sam-fitness-workflow-run-pr.yml") as unknown as Workflow;
  const post = load("examples/workflows/sam-fitness-workflow-run-comment.yml") as unknown as Workflow;
  const prSteps = Object.values(pr.jobs).flatMap((job) => job.steps);
  const postSteps = Object.values(post.jobs).flatMap((job) => job.steps);
  const isOurs = (s: Step) => typeof s.uses === "string" && /^sam-fitness\/sam-fitness@/.test(s.uses);

  it("the pull_request part is read-only, does not comment, and uploads the comment file", () => {
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(pr.jobs)) expect(job.permissions).toBeUndefined();
    const ours = prSteps.find(isOurs);
    expect(ours?.with?.["comment"]).toBe("off");
    expect(ours?.with?.["comment-from"]).toBeUndefined();
    for (const key of Object.keys(ours?.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
    expect(() => readInputs((name) => String(ours?.with?.[name] ?? ""))).not.toThrow();
    const upload = prSteps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.uses).toBe("actions/upload-artifact@v4");
    expect(prSteps.indexOf(upload as Step)).toBeGreaterThan(prSteps.indexOf(ours as Step));
    expect(upload?.with?.["path"]).toBe(`\${{ steps.${ours?.id}.outputs.comment-file }}`);
    expect(upload?.if).toContain("always()");
  });

  it("the workflow_run part downloads that artifact from the triggering run and posts it, never touching PR code", () => {
    expect(post.on).toEqual({ workflow_run: { workflows: [pr.name], types: ["completed"] } });
    expect(post.permissions).toEqual({ "pull-requests": "write", actions: "read" });
    for (const job of Object.values(post.jobs)) expect(job.permissions).toBeUndefined();
    // No checkout, no shell step: nothing from the pull request runs with this token.
    expect(postSteps.map((s) => s.uses?.split("@")[0])).toEqual(["actions/download-artifact", "sam-fitness/sam-fitness"]);
    expect(postSteps.every((s) => s.run === undefined)).toBe(true);
    const [download, ours] = postSteps as [Step, Step];
    const upload = prSteps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(download.uses).toBe("actions/download-artifact@v4");
    expect(download.with).toMatchObject({
      name: upload?.with?.["name"],
      "run-id": "${{ github.event.workflow_run.id }}",
      "github-token": "${{ github.token }}",
    });
    expect(ours.with?.["comment-from"]).toBe(`${String(download.with?.["path"])}/comment.json`);
    for (const key of Object.keys(ours.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
    expect(() => readInputs((name) => String(ours.with?.[name] ?? ""))).not.toThrow();
    expect(Object.values(post.jobs)[0]?.if).toContain("github.event.workflow_run.event == 'pull_request'");
  });
});

describe("repository workflows", () => {
  it("CI lints, type-checks, tests and checks that dist is fresh", () => {
    const text = readFileSync(new URL(".github/workflows/ci.yml", root), "utf8");
    parse(text);
    for (const command of ["npm run lint", "npm run typecheck", "npm test", "npm run build", "git diff --exit-code"]) expect(text).toContain(command);
  });

  it("the self-test runs the local action on examples/ for pull requests", () => {
    const workflow = load(".github/workflows/self-test.yml") as unknown as Workflow;
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => s.uses === "./");
    expect(step?.with?.["working-directory"]).toBe("examples");
    for (const key of Object.keys(step?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
  });
});
