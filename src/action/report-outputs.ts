/**
 * Everything the run leaves behind besides the comment: annotations, the job
 * summary, the step outputs, the JSON report file and the optional SARIF file.
 */
import * as core from "@actions/core";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { toJsonReport } from "../app/json-report.js";
import type { CheckReport, Rule } from "../fitness/types.js";
import { renderSarif } from "../render/sarif.js";
import { planAnnotations } from "./annotations.js";
import { formatNumber, headline } from "./scores.js";
import { log } from "./log.js";

export function emitAnnotations(report: CheckReport, enabled: boolean): void {
  const plan = planAnnotations(report);
  for (const annotation of plan.annotations) {
    // Parse errors are always annotated; findings only when annotations are on.
    if (!enabled && annotation.level === "warning") continue;
    const properties = {
      title: annotation.title,
      file: annotation.file,
      startLine: annotation.line,
      ...(annotation.column !== undefined ? { startColumn: annotation.column } : {}),
    };
    if (annotation.level === "error") log.error(annotation.message, properties);
    else log.warning(annotation.message, properties);
  }
  if (enabled && plan.omitted > 0) {
    log.notice(`${plan.omitted} more new finding(s) were not annotated (GitHub shows a limited number per step); see the job summary.`);
  }
}

export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    log.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** Writes the JSON report (the `check --format json` document) and returns its path. */
export async function writeReportFile(report: CheckReport, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), "sam-fitness");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "report.json");
  await writeFile(path, JSON.stringify(toJsonReport(report, extra), null, 2) + "\n");
  return path;
}

export async function writeSarifFile(report: CheckReport, rules: readonly Rule[], path: string, workingDir: string): Promise<string> {
  const target = resolve(workingDir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, JSON.stringify(renderSarif(report, rules), null, 2) + "\n");
  return target;
}

export function setOutputs(report: CheckReport, values: { reportPath: string; commentUrl: string | null; commentFile?: string | null; liveScore?: number | null }): void {
  const numbers = headline(report);
  core.setOutput("score", formatNumber(numbers.score));
  core.setOutput("base-score", formatNumber(numbers.baseScore));
  core.setOutput("delta", formatNumber(numbers.delta));
  core.setOutput("passed", String(gatePassed(report)));
  core.setOutput("report-path", values.reportPath);
  core.setOutput("comment-url", values.commentUrl ?? "");
  core.setOutput("comment-file", values.commentFile ?? "");
  core.setOutput("live-score", formatNumber(values.liveScore ?? null));
}

/** The gate, plus "every template still in the change could be analysed". */
export function gatePassed(report: CheckReport): boolean {
  return report.gate.passed && report.templates.every((t) => t.ok || t.change === "deleted");
}

export function gateMessage(report: CheckReport): string {
  const failures = [...report.gate.failures];
  for (const t of report.templates) {
    if (!t.ok && t.change !== "deleted" && !failures.some((f) => f.startsWith(`${t.file}:`))) {
      failures.push(`${t.file}: the template cannot be analysed${t.error ? `: line ${t.error.line}: ${t.error.message}` : ""}`);
    }
  }
  return `sam-fitness gate failed:\n${failures.map((f) => `- ${f}`).join("\n")}`;
}
