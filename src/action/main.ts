/**
 * The GitHub Action's entry point: inputs -> plan -> analyse -> publish.
 * Each step lives in its own module; this file only wires them, so adding a
 * step (history, live stack check) is a few lines here.
 */
import * as core from "@actions/core";
import { GitHubClient } from "../github/client.js";
import { REPORT_MARKER } from "../render/markdown.js";
import { analyse } from "./analyse.js";
import { postReportComment } from "./comment.js";
import { readRunContext } from "./context.js";
import { readInputs } from "./inputs.js";
import { planRun } from "./plan.js";
import { emitAnnotations, gateMessage, gatePassed, setOutputs, writeJobSummary, writeReportFile, writeSarifFile } from "./report-outputs.js";

async function main(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.token) core.setSecret(inputs.token);
  const context = readRunContext(process.env);
  const client = inputs.token
    ? new GitHubClient({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl, log: (m) => core.info(m) })
    : null;

  const plan = await planRun(inputs, context, client, (m) => core.info(m));
  core.info(`Analysing ${plan.inputs.length} template(s)${plan.baseRef ? ` against ${plan.baseRef.slice(0, 12)}` : ""}: ${plan.inputs.map((t) => t.file).join(", ") || "none"}`);
  const { report, comment, summary, rules, warnings } = await analyse(inputs, context, plan);
  for (const warning of warnings) core.warning(`sam-fitness config: ${warning}`);

  emitAnnotations(report, inputs.annotations);
  await writeJobSummary(summary);
  const reportPath = await writeReportFile(report);
  if (inputs.sarifFile) core.info(`SARIF written to ${await writeSarifFile(report, rules, inputs.sarifFile, plan.workingDir)}`);
  const commentUrl = await postReportComment({
    client,
    context,
    mode: inputs.comment,
    marker: REPORT_MARKER,
    body: comment,
    createIfMissing: plan.inputs.length > 0,
    log: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
  });
  setOutputs(report, { reportPath, commentUrl });
  if (!gatePassed(report)) core.setFailed(gateMessage(report));
}

main().catch((error: unknown) => {
  core.setFailed(`sam-fitness: ${error instanceof Error ? error.message : String(error)}`);
});
