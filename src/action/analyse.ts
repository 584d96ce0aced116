/**
 * Config + pipeline + markdown for a planned run: the action's core step.
 */
import { resolve } from "node:path";
import { checkTemplates } from "../app/check.js";
import { loadConfig } from "../config/load.js";
import type { CheckReport, Rule } from "../fitness/types.js";
import { GITHUB_COMMENT_MAX_CHARS, renderMarkdown } from "../render/markdown.js";
import { VERSION } from "../version.js";
import { BUILTIN_RULES } from "../../rules/index.js";
import type { RunContext } from "./context.js";
import type { ActionInputs } from "./inputs.js";
import type { RunPlan } from "./plan.js";

/** Room left in a comment for the run stamp appended to the body. */
const STAMP_ROOM = 200;
/** The job summary allows 1 MiB per step; stay well below. */
const SUMMARY_MAX_CHARS = 900_000;

export interface Analysis {
  report: CheckReport;
  /** The PR comment body (within GitHub's comment limit). */
  comment: string;
  /** The job summary: the same report with more room. */
  summary: string;
  /** Every rule that could have judged the templates (for SARIF rule metadata). */
  rules: Rule[];
  /** Config notes for the log (code rules not loaded, ...). */
  warnings: string[];
}

export async function analyse(inputs: ActionInputs, context: RunContext, plan: RunPlan): Promise<Analysis> {
  const configPath = inputs.config === null ? null : resolve(plan.workingDir, inputs.config);
  const config = await loadConfig(configPath, plan.repoRoot);
  const report = checkTemplates(plan.inputs, config, {
    toolVersion: VERSION,
    configPath: config.file,
    threshold: inputs.threshold,
    maxDecrease: inputs.maxDecrease,
  });
  const options = { link: fileLink(context), baseLabel: baseLabel(context, plan) };
  const comment = renderMarkdown(report, { ...options, maxChars: GITHUB_COMMENT_MAX_CHARS - STAMP_ROOM });
  const summary = renderMarkdown(report, { ...options, maxChars: SUMMARY_MAX_CHARS });
  return { report, comment, summary, rules: [...BUILTIN_RULES, ...config.customRules, ...config.loadedRules], warnings: config.warnings };
}

/** Links to the file at the commit the report is about (the PR head, or the pushed commit). */
export function fileLink(context: RunContext): (file: string, line: number) => string | null {
  const sha = context.pullRequest?.headSha ?? context.sha;
  if (!sha || !context.owner || !context.repo) return () => null;
  const base = `${context.serverUrl}/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}/blob/${sha}`;
  return (file, line) => `${base}/${file.split("/").map(encodeURIComponent).join("/")}${line > 0 ? `#L${line}` : ""}`;
}

function baseLabel(context: RunContext, plan: RunPlan): string {
  if (context.pullRequest) return context.pullRequest.baseRef;
  return plan.baseRef ? plan.baseRef.slice(0, 7) : "base";
}
