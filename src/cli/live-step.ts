import { activeRules } from "../app/rule-set.js";
import type { ResolvedConfig } from "../config/types.js";
import type { TemplateCheck } from "../fitness/types.js";
import { buildGraph } from "../graph/build.js";
import { runLiveCheck } from "../live/index.js";
import type { LiveReport } from "../live/index.js";
import { parseTemplate } from "../template/parse.js";
import { UsageError } from "./args.js";

/**
 * Runs the live stack check for the one template of a `check` run. The
 * template is parsed again here (cheap) so the core pipeline stays free of
 * the live check's needs.
 */
export async function liveCheck(options: {
  stackName: string;
  region: string | null;
  check: TemplateCheck | undefined;
  headText: string | undefined;
  config: ResolvedConfig;
}): Promise<LiveReport> {
  const { check, headText } = options;
  if (!check || headText === undefined) throw new UsageError("--stack-name checks one template against its stack: give exactly one template");
  const parsed = parseTemplate(headText, check.file);
  if (!parsed.ok) throw new UsageError(`--stack-name: ${check.file} cannot be parsed (line ${parsed.error.line}: ${parsed.error.message})`);
  return runLiveCheck({
    stackName: options.stackName,
    ...(options.region ? { region: options.region } : {}),
    template: parsed.template,
    graph: check.graph ?? buildGraph(parsed.template),
    rules: activeRules(options.config),
    templateFitness: check.fitness,
  });
}

/** Plain-text lines for the live section of `check --format text`. */
export function liveText(live: LiveReport): string {
  if (!live.ok) return `live: ${live.stack}: check failed: ${live.error?.message ?? "unknown error"}\n`;
  const lines = [
    `live: stack ${live.stack} (${live.region ?? "?"}) ${live.status ?? ""}, live fitness ${live.score === null ? "n/a (no AWS Config evidence)" : live.score.toFixed(1)}`,
  ];
  if (live.changes.added.length) lines.push(`  not deployed yet: ${live.changes.added.join(", ")}`);
  for (const removed of live.changes.removed) lines.push(`  would be deleted on deploy: ${removed.logicalId} (${removed.type})${removed.stateful ? "  <-- STATEFUL" : ""}`);
  if (live.changes.replaced.length) lines.push(`  would be replaced: ${live.changes.replaced.join(", ")}`);
  for (const d of live.disagreements) lines.push(`  ${d.resource}: ${d.ruleId}: template says ${d.template}, AWS Config says ${d.live}`);
  for (const w of live.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n") + "\n";
}
