/**
 * The GitHub Action's entry point: inputs -> plan -> analyse -> publish, or,
 * with `comment-from`, only posting a comment an earlier run wrote (relay.ts).
 * Each step lives in its own module; this file only wires them, so adding a
 * step (history, live stack check) is a few lines here.
 */
import * as core from "@actions/core";
import { dirname, relative, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { escapeMarkdown } from "../render/escape.js";
import { log } from "./log.js";
import { GitHubClient } from "../github/client.js";
import { commitDate } from "../io/git.js";
import { REPORT_MARKER } from "../render/markdown.js";
import { renderLiveSection, renderLiveSkipped } from "../render/live.js";
import { analyse } from "./analyse.js";
import { historyStep } from "./history-step.js";
import { liveStep } from "./live-step.js";
import { postReportComment } from "./comment.js";
import { readRunContext } from "./context.js";
import { commentFileFor, writeCommentFile } from "./comment-file.js";
import { toPosix } from "./globs.js";
import { readInputs } from "./inputs.js";
import { planRun } from "./plan.js";
import { relayComment } from "./relay.js";
import { emitAnnotations, gateMessage, gatePassed, setOutputs, writeJobSummary, writeReportFile, writeSarifFile } from "./report-outputs.js";

async function main(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.token) core.setSecret(inputs.token);
  const context = readRunContext(process.env);
  const client = inputs.token
    ? new GitHubClient({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl, log: (m) => log.info(m) })
    : null;

  if (inputs.commentFrom !== null) {
    // Post a comment made by an earlier run; the gate and outputs of that run are not re-applied.
    const url = await relayComment({ path: inputs.commentFrom, mode: inputs.comment, context, client, marker: REPORT_MARKER, log });
    core.setOutput("comment-url", url ?? "");
    return;
  }

  const plan = await planRun(inputs, context, client, (m) => log.info(m));
  if (plan.scopeNote) log.warning(`sam-fitness: ${plan.scopeNote}`, { title: "sam-fitness: pull request files" });
  log.info(`Analysing ${plan.inputs.length} template(s)${plan.baseRef ? ` against ${plan.baseRef.slice(0, 12)}` : ""}: ${plan.inputs.map((t) => t.file).join(", ") || "none"}`);
  let analysis: Awaited<ReturnType<typeof analyse>>;
  try {
    analysis = await analyse(inputs, context, plan);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await reportConfigError(error, { inputs, context, client, plan });
    return;
  }
  const { report, rules, warnings } = analysis;
  for (const warning of warnings) log.warning(`sam-fitness config: ${warning}`);

  const trend = await historyStep(inputs, context, report, log);
  const { live, template: liveTemplate, problem: liveProblem, skipped } = await liveStep(inputs, context, plan.inputs, report, analysis.config);
  if (skipped) log.notice(`sam-fitness: ${skipped}`);
  if (liveProblem && !inputs.liveRequired) log.warning(`sam-fitness: ${liveProblem}`);
  const liveCheck = report.templates.find((t) => t.file === liveTemplate);
  const several = report.templates.length > 1 && liveTemplate !== null ? liveTemplate : undefined;
  const liveSection = live ? renderLiveSection(live, liveCheck?.fitness?.score ?? null, several) : skipped ? renderLiveSkipped(skipped) : null;
  const { comment, summary } = analysis.render({ trend, live: liveSection });

  emitAnnotations(report, inputs.annotations);
  await writeJobSummary(summary);
  const reportPath = await writeReportFile(report, live ? { live } : {});
  const commentFile = commentFileFor(context, comment, REPORT_MARKER);
  const commentPath = commentFile ? await writeCommentFile(dirname(reportPath), commentFile) : null;
  if (inputs.sarifFile) log.info(`SARIF written to ${await writeSarifFile(report, rules, inputs.sarifFile, plan.workingDir)}`);
  const commentUrl = await postReportComment({
    client,
    context,
    mode: inputs.comment,
    marker: REPORT_MARKER,
    body: comment,
    createIfMissing: plan.inputs.length > 0,
    // Orders racing runs of the same run number and attempt; null when the checkout lacks the PR head (the default merge checkout).
    commitDate: context.pullRequest ? await commitDate(context.pullRequest.headSha, plan.repoRoot) : null,
    log,
  });
  setOutputs(report, { reportPath, commentUrl, commentFile: commentPath, liveScore: live?.score ?? null });
  if (!gatePassed(report)) log.setFailed(gateMessage(report));
  else if (liveProblem && inputs.liveRequired) log.setFailed(`sam-fitness: ${liveProblem}`);
}

/**
 * A broken config stops the analysis: the error is annotated on the config
 * file's line, written to the job summary and, on a PR, to the comment (so
 * the last run's results are not left standing as if current).
 */
async function reportConfigError(
  error: ConfigError,
  run: { inputs: ReturnType<typeof readInputs>; context: ReturnType<typeof readRunContext>; client: GitHubClient | null; plan: { repoRoot: string } },
): Promise<void> {
  const file = toPosix(relative(run.context.workspace, resolve(run.plan.repoRoot, error.file)));
  log.error(error.message, { title: "sam-fitness config", file, startLine: error.line ?? 1 });
  const body = [
    REPORT_MARKER,
    "### sam-fitness could not analyse this change",
    "",
    `The config file has an error, so no template was scored: ${escapeMarkdown(error.message, 600)}`,
  ].join("\n");
  await writeJobSummary(body);
  const commentUrl = await postReportComment({ client: run.client, context: run.context, mode: run.inputs.comment, marker: REPORT_MARKER, body, createIfMissing: true, log });
  core.setOutput("passed", "false");
  core.setOutput("comment-url", commentUrl ?? "");
  log.setFailed(`sam-fitness: ${error.message}`);
}

main().catch((error: unknown) => {
  log.setFailed(`sam-fitness: ${error instanceof Error ? error.message : String(error)}`);
});
