/**
 * The live stack check in the Action: only with `stack-name`, never for
 * pull requests from forks. A failure is a warning unless `live-required`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { activeRules } from "../app/rule-set.js";
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
  /** The analysed template the stack was compared with. */
  template: string | null;
  /** Why the check failed: a warning, or the job's failure when live-required. */
  problem: string | null;
  /** Why the check did not run on purpose (a fork, no template in this run): a notice, never a failure. */
  skipped: string | null;
}

const NONE: LiveStep = { live: null, template: null, problem: null, skipped: null };

export async function liveStep(inputs: ActionInputs, context: RunContext, templates: readonly TemplateInput[], report: CheckReport, config: ResolvedConfig): Promise<LiveStep> {
  if (!inputs.stackName) return NONE;
  const decision = liveCheckAllowed({
    eventName: context.eventName,
    headRepository: context.workflowRun ? context.workflowRun.headRepository : (context.pullRequest?.headRepository ?? null),
    repository: `${context.owner}/${context.repo}`,
    viaWorkflowRun: Boolean(context.workflowRun?.event?.startsWith("pull_request")),
  });
  if (!decision.run) return { ...NONE, skipped: decision.reason };
  const present = templates.filter((t) => t.head !== null);
  const wanted = inputs.stackTemplate === null ? null : inputs.stackTemplate.replace(/^\.\//, "");
  const input = wanted === null ? present[0] : present.find((t) => t.file === wanted);
  if (wanted !== null && !input && templates.some((t) => t.file === wanted && t.head === null)) {
    return { ...NONE, problem: `stack-template ${wanted} is deleted by this change: deploying it would remove the stack's resources, and the live check has no template to compare` };
  }
  if (wanted !== null && !input && !existsSync(join(context.workspace, wanted))) {
    // A misspelt stack-template must not silently switch the live check off.
    return { ...NONE, problem: `stack-template ${wanted} is not a file in the repository` };
  }
  if (!input || input.head === null) {
    const why =
      wanted === null
        ? "the live check was skipped: this run analysed no template to compare with the stack"
        : `the live check was skipped: this run did not analyse ${wanted} (stack-template); with scope: changed it runs when the pull request changes that template`;
    return { ...NONE, skipped: why };
  }
  const check = report.templates.find((t) => t.file === input.file);
  const parsed = parseTemplate(input.head, input.file);
  if (!parsed.ok || !check) return { ...NONE, template: input.file, problem: `the live check skipped ${input.file}: it cannot be parsed` };
  const live = await runLiveCheck({
    stackName: inputs.stackName,
    ...(inputs.region ? { region: inputs.region } : {}),
    template: parsed.template,
    graph: check.graph ?? buildGraph(parsed.template),
    rules: activeRules(config),
    templateFitness: check.fitness,
  });
  const several = wanted === null && present.length > 1 ? ` (compared with ${input.file}, the first of the analysed templates; set stack-template to choose)` : "";
  return { live, template: input.file, skipped: null, problem: live.ok ? null : `live check of stack ${inputs.stackName} failed${several}: ${live.error?.message ?? "unknown error"}` };
}
