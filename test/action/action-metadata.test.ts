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
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
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
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(["score", "base-score", "delta", "passed", "report-path", "comment-url", "live-score"]));
  });
});

describe("examples/workflows/sam-fitness.yml (embedded in the README)", () => {
  const workflow = load("examples/workflows/sam-fitness.yml") as unknown as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const ours = steps.find((s) => typeof s.uses === "string" && /sam-fitness@/.test(s.uses));

  it("runs on pull requests with the permissions the action needs", () => {
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
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
