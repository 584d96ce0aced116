/**
 * Config + pipeline + markdown for a planned run: the action's core step.
 */
import { resolve } from "node:path";
import { checkTemplates } from "../app/check.js";
import { allRules } from "../app/rule-set.js";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import type { CheckReport, Rule } from "../fitness/types.js";
import { GITHUB_COMMENT_MAX_CHARS, renderMarkdown } from "../render/markdown.js";
import { VERSION } from "../version.js";
import type { RunContext } from "./context.js";
import type { ActionInputs } from "./inputs.js";
import type { RunPlan } from "./plan.js";

/** Room left in a comment for the run stamp appended to the body. */
const STAMP_ROOM = 200;
/** The job summary allows 1 MiB per step; stay well below. */
const SUMMARY_MAX_CHARS = 900_000;

/** Extra sections for the markdown: the fitness trend and the live stack check. */
export interface ReportExtras {
  trend?: string | null;
  live?: string | null;
}

export interface Analysis {
  report: CheckReport;
  /** Renders the PR comment body (within GitHub's comment limit) and the job summary (more room). */
  render(extras: ReportExtras): { comment: string; summary: string };
  /** Every rule that could have judged the templates (for SARIF rule metadata). */
  rules: Rule[];
  /** Config notes for the log (code rules not loaded, ...). */
  warnings: string[];
  config: ResolvedConfig;
}

export async function analyse(inputs: ActionInputs, context: RunContext, plan: RunPlan): Promise<Analysis> {
  const configPath = inputs.config === null ? null : resolve(plan.workingDir, inputs.config);
  const config = await loadConfig(configPath, plan.repoRoot, { allowCodeRules: codeRulesAllowed(inputs, context) });
  const report = checkTemplates(plan.inputs, config, {
    toolVersion: VERSION,
    configPath: config.file,
    threshold: inputs.threshold,
    maxDecrease: inputs.maxDecrease,
  });
  const options = { link: fileLink(context, plan.analysedCommit), baseLabel: baseLabel(context, plan), notice: plan.scopeNote };
  const render = (extras: ReportExtras): { comment: string; summary: string } => ({
    comment: renderMarkdown(report, { ...options, ...extras, maxChars: GITHUB_COMMENT_MAX_CHARS - STAMP_ROOM }),
    summary: renderMarkdown(report, { ...options, ...extras, maxChars: SUMMARY_MAX_CHARS }),
  });
  return { report, render, config, rules: allRules(config), warnings: config.warnings };
}

/**
 * Code rules (JavaScript from the repository) run only when the workflow
 * allows them with the `allow-code-rules` input, and never for a pull request
 * from a fork or a `pull_request_target` run: there the code is the PR
 * author's, and the token may be able to write.
 */
export function codeRulesAllowed(inputs: ActionInputs, context: RunContext): boolean {
  if (!inputs.allowCodeRules) return false;
  if (context.eventName === "pull_request_target") return false;
  return !context.pullRequest?.fromFork;
}

/**
 * Links to the file at the commit whose lines the report counts: the commit
 * that was analysed (on a pull request with the default checkout, GitHub's
 * merge commit, whose lines can differ from the PR head's when the base
 * branch moved), else the PR head or the pushed commit.
 */
export function fileLink(context: RunContext, analysedCommit: string | null = null): (file: string, line: number) => string | null {
  const sha = analysedCommit ?? context.pullRequest?.headSha ?? context.sha;
  if (!sha || !context.owner || !context.repo) return () => null;
  const base = `${context.serverUrl}/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}/blob/${sha}`;
  return (file, line) => `${base}/${file.split("/").map(encodeURIComponent).join("/")}${line > 0 ? `#L${line}` : ""}`;
}

function baseLabel(context: RunContext, plan: RunPlan): string {
  if (context.pullRequest) return context.pullRequest.baseRef;
  return plan.baseRef ? plan.baseRef.slice(0, 7) : "base";
}
