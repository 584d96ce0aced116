import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { checkTemplates } from "../app/check.js";
import type { TemplateInput } from "../app/check.js";
import { toJsonReport } from "../app/json-report.js";
import { loadConfig } from "../config/load.js";
import type { CheckReport } from "../fitness/types.js";
import { gitShow } from "../io/git.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderMermaid } from "../render/mermaid.js";
import { renderSarif } from "../render/sarif.js";
import { renderLiveSection } from "../render/live.js";
import { renderText } from "../render/text.js";
import type { LiveReport } from "../live/index.js";
import { recordHistory } from "./history-step.js";
import { liveCheck, liveText } from "./live-step.js";
import { BUILTIN_RULES } from "../../rules/index.js";
import { VERSION } from "../version.js";
import { oneOf, optionalNumber, optionalString, parseCommand, UsageError } from "./args.js";
import type { CommandOutput } from "./output.js";
import { findTemplates, readTemplateFile } from "./read.js";

export const CHECK_USAGE = `Usage: sam-fitness check <files|dirs...> [options]

Scores each template's architecture fitness and, with --base, compares it
with the base version.

Options:
  --base <file|git-ref>   compare with this file (one template) or with the same
                          paths at this git commit (git show <ref>:<path>)
  --config <path>         config file (default: .github/sam-fitness.yml if present)
  --format <f>            text (default), json, markdown, sarif, mermaid
  --threshold <N>         fail when a template scores below N
  --max-decrease <N>      fail when a template's score drops by more than N
  --history file:<path>   append this run's scores to a local history file and
                          show the trend
  --stack-name <name>     also check the deployed stack (live check; one template;
                          needs AWS credentials; AWS_ENDPOINT_URL is honoured)
  --region <region>       region of the stack (default from the AWS environment)
  --live-required         fail when the live check cannot run (default: warn)
Exit code: 0 when every template was analysed and the gate passed, 1 otherwise,
2 on a usage or configuration error.`;

const FORMATS = ["text", "json", "markdown", "sarif", "mermaid"] as const;

export async function checkCommand(argv: string[], cwd: string): Promise<CommandOutput> {
  const { values, positionals } = parseCommand(argv, {
    base: { type: "string" },
    config: { type: "string" },
    format: { type: "string" },
    threshold: { type: "string" },
    "max-decrease": { type: "string" },
    history: { type: "string" },
    "stack-name": { type: "string" },
    region: { type: "string" },
    "live-required": { type: "boolean" },
  });
  const format = oneOf("format", values["format"], FORMATS, "text");
  const threshold = optionalNumber("threshold", values["threshold"]);
  const maxDecrease = optionalNumber("max-decrease", values["max-decrease"]);
  if (positionals.length === 0) throw new UsageError("check needs at least one template file or directory");
  const configPath = optionalString(values["config"]);
  const config = await loadConfig(configPath, cwd);
  const files = await findTemplates(positionals, cwd);
  const inputs = await readInputs(files, optionalString(values["base"]), cwd);
  const report = checkTemplates(inputs.templates, config, {
    toolVersion: VERSION,
    configPath: config.file,
    threshold,
    maxDecrease,
  });
  const notes = [...config.warnings.map((w) => `warning: ${w}`), ...inputs.unreadable];
  let failed = !report.gate.passed || report.templates.some((t) => !t.ok) || inputs.unreadable.length > 0;

  const historyOption = optionalString(values["history"]);
  const history = historyOption ? await recordHistory(historyOption, report, cwd) : null;
  if (history?.note) notes.push(history.note);

  const stackName = optionalString(values["stack-name"]);
  let live: LiveReport | null = null;
  if (stackName) {
    const only = inputs.templates.length === 1 ? inputs.templates[0] : undefined;
    live = await liveCheck({ stackName, region: optionalString(values["region"]), check: report.templates[0], headText: only?.head ?? undefined, config });
    if (!live.ok) {
      notes.push(`${values["live-required"] ? "error" : "warning"}: live check: ${live.error?.message ?? "failed"}`);
      if (values["live-required"]) failed = true;
    }
  }
  const stdout = render(report, format, { trend: history?.trend || null, live });
  return { stdout, stderr: notes.map((n) => n + "\n").join(""), exitCode: failed ? 1 : 0 };
}

async function readInputs(files: string[], base: string | null, cwd: string): Promise<{ templates: TemplateInput[]; unreadable: string[] }> {
  const templates: TemplateInput[] = [];
  const unreadable: string[] = [];
  const baseIsFile = base !== null && existsSync(resolve(cwd, base));
  if (baseIsFile && files.length !== 1) throw new UsageError("--base <file> compares one template; give a git ref to compare several");
  for (const file of files) {
    const head = await readTemplateFile(file, cwd);
    if (!head.ok) {
      unreadable.push(`${file}:${head.error.line}:${head.error.column}: error: ${head.error.message}`);
      continue;
    }
    let baseText: string | null | undefined;
    if (base === null) baseText = undefined;
    else if (baseIsFile) {
      const read = await readTemplateFile(base, cwd);
      if (!read.ok) throw new UsageError(`--base ${base}: ${read.error.message}`);
      baseText = read.text;
    } else {
      try {
        baseText = await gitShow(base, file, cwd);
      } catch (error) {
        throw new UsageError(`--base ${base}: ${(error as Error).message}`);
      }
    }
    templates.push({ file, head: head.text, base: baseText });
  }
  return { templates, unreadable };
}

interface Extras {
  trend: string | null;
  live: LiveReport | null;
}

function render(report: CheckReport, format: (typeof FORMATS)[number], extras: Extras): string {
  const headScore = report.templates[0]?.fitness?.score ?? null;
  switch (format) {
    case "json":
      return JSON.stringify(toJsonReport(report, extras.live ? { live: extras.live } : {}), null, 2) + "\n";
    case "markdown":
      return renderMarkdown(report, { trend: extras.trend, live: extras.live ? renderLiveSection(extras.live, headScore) : null });
    case "sarif":
      return JSON.stringify(renderSarif(report, BUILTIN_RULES), null, 2) + "\n";
    case "mermaid":
      return (
        report.templates
          .filter((t) => t.graph)
          .map((t) => renderMermaid(t.graph as NonNullable<typeof t.graph>, { base: t.baseGraph }).text)
          .join("\n\n") + "\n"
      );
    default:
      return renderText(report) + (extras.live ? liveText(extras.live) : "") + (extras.trend ? trendText(extras.trend) : "");
  }
}

/** The trend's text lines (best / worst / last) without the chart, for the terminal. */
function trendText(trend: string): string {
  const lines = trend.split("\n").filter((l) => /^(- |Best|Worst|Last|\*\*)/.test(l.trim()));
  return lines.length ? `trend:\n${lines.map((l) => `  ${l.trim()}`).join("\n")}\n` : "";
}
