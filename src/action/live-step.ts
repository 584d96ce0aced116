/**
 * The live stack check in the Action: only with `stack-name`, never for
 * pull requests from forks. A failure is a warning unless `live-required`.
 */
import { effectiveRules } from "../fitness/engine.js";
import type { ResolvedConfig } from "../config/types.js";
import type { CheckReport } from "../fitness/types.js";
import { buildGraph } from "../graph/build.js";
import { liveCheckAllowed, runLiveCheck } from "../live/index.js";
import type { LiveReport } from "../live/index.js";
import { parseTemplate } from "../template/parse.js";
import type { TemplateInput } from "../app/check.js";
import type { RunContext } from "./context.js";
import type { ActionInputs } from "./inputs.js";

export interface LiveStep {
  live: LiveReport | null;
  /** Why the check failed: a warning, or the job's failure when live-required. */
  problem: string | null;
  /** Why the check did not run on purpose (a fork): a notice, never a failure. */
  skipped: string | null;
}

export async function liveStep(inputs: ActionInputs, context: RunContext, templates: readonly TemplateInput[], report: CheckReport, config: ResolvedConfig): Promise<LiveStep> {
  if (!inputs.stackName) return { live: null, problem: null, skipped: null };
  const decision = liveCheckAllowed({
    eventName: context.eventName,
    headRepository: context.pullRequest?.headRepository ?? null,
    repository: `${context.owner}/${context.repo}`,
  });
  if (!decision.run) return { live: null, problem: null, skipped: decision.reason };
  const index = templates.findIndex((t) => t.head !== null);
  const input = templates[index];
  const check = report.templates.find((t) => t.file === input?.file);
  if (!input || input.head === null || !check) return { live: null, skipped: null, problem: "the live check needs a template to compare with the stack, and this run analysed none" };
  const parsed = parseTemplate(input.head, input.file);
  if (!parsed.ok) return { live: null, skipped: null, problem: `the live check skipped ${input.file}: it cannot be parsed` };
  const live = await runLiveCheck({
    stackName: inputs.stackName,
    ...(inputs.region ? { region: inputs.region } : {}),
    template: parsed.template,
    graph: check.graph ?? buildGraph(parsed.template),
    rules: effectiveRules(config),
    templateFitness: check.fitness,
  });
  const several = templates.filter((t) => t.head !== null).length > 1 ? ` (compared with ${input.file}, the first of the analysed templates)` : "";
  return { live, skipped: null, problem: live.ok ? null : `live check of stack ${inputs.stackName} failed${several}: ${live.error?.message ?? "unknown error"}` };
}
