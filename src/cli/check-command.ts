import { stat } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { checkTemplates } from "../app/check.js";
import { allRules } from "../app/rule-set.js";
import type { TemplateInput } from "../app/check.js";
import { toJsonReport } from "../app/json-report.js";
import { loadConfig } from "../config/load.js";
import type { CheckReport, Rule } from "../fitness/types.js";
import { changesSince, checkoutRoot, gitShow, pathInCheckout } from "../io/git.js";
import type { Changes } from "../io/git.js";
import { looksLikeTemplate, TEMPLATE_EXTENSIONS } from "../io/discover.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderMermaid } from "../render/mermaid.js";
import { renderSarif } from "../render/sarif.js";
import { renderLiveSection } from "../render/live.js";
import { renderText } from "../render/text.js";
import type { LiveReport } from "../live/index.js";
import { recordHistory } from "./history-step.js";
import { liveCheck, liveText } from "./live-step.js";
import { withoutCharts } from "../history/trend.js";
import { VERSION } from "../version.js";
import { NoTemplatesError, oneOf, optionalNumber, optionalString, parseCommand, UsageError } from "./args.js";
import { mermaidComment } from "./output.js";
import type { CommandOutput } from "./output.js";
import { findTemplates, readTemplateFile } from "./read.js";
import { terminalSafe } from "./terminal.js";

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
  if (files.length === 0) throw new NoTemplatesError(`no templates found in ${positionals.join(", ")}`);
  const inputs = await readInputs(files, positionals, optionalString(values["base"]), cwd);
  const stackName = optionalString(values["stack-name"]);
  // Usage errors come before anything is written (the history file).
  if (stackName && (inputs.templates.length !== 1 || inputs.templates[0]?.head === null)) {
    throw new UsageError("--stack-name checks one template against its stack: give exactly one template");
  }
  const report = checkTemplates(inputs.templates, config, {
    toolVersion: VERSION,
    configPath: config.file,
    threshold,
    maxDecrease,
  });
  const notes = [...config.warnings.map((w) => `warning: ${w}`), ...inputs.unreadable, ...templateProblems(report)];
  let failed = !report.gate.passed || report.templates.some((t) => !t.ok) || inputs.unreadable.length > 0;

  // A broken history file is reported, but the report is still printed.
  const historyOption = optionalString(values["history"]);
  let history: { trend: string; note: string } | null = null;
  if (historyOption) {
    try {
      history = await recordHistory(historyOption, report, cwd);
      if (history.note) notes.push(history.note);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      notes.push(`error: history: ${(error as Error).message}`);
      failed = true;
    }
  }

  let live: LiveReport | null = null;
  if (stackName) {
    const only = inputs.templates.length === 1 ? inputs.templates[0] : undefined;
    live = await liveCheck({ stackName, region: optionalString(values["region"]), check: report.templates[0], headText: only?.head ?? undefined, config });
    if (!live.ok) {
      notes.push(`${values["live-required"] ? "error" : "warning"}: live check: ${live.error?.message ?? "failed"}`);
      if (values["live-required"]) failed = true;
    }
  }
  // Code scanning maps SARIF locations to files by their path in the repository, wherever the command ran.
  const shown = format === "sarif" ? await withRepositoryPaths(report, cwd) : report;
  const stdout = render(shown, format, { trend: history?.trend || null, live, rules: allRules(config) });
  return { stdout, json: format === "json" || format === "sarif", stderr: notes.map((n) => n + "\n").join(""), exitCode: failed ? 1 : 0 };
}

async function readInputs(
  files: string[],
  roots: string[],
  base: string | null,
  cwd: string,
): Promise<{ templates: TemplateInput[]; unreadable: string[] }> {
  const templates: TemplateInput[] = [];
  const unreadable: string[] = [];
  const baseFile = base !== null && (await isRegularFile(resolve(cwd, base))) ? base : null;
  if (baseFile !== null && files.length !== 1) throw new UsageError("--base <file> compares one template; give a git ref to compare several");
  const changes = base !== null && baseFile === null ? await gitChanges(base, cwd) : null;
  for (const file of files) {
    const head = await readTemplateFile(file, cwd);
    if (!head.ok) {
      unreadable.push(`${file}:${head.error.line}:${head.error.column}: error: ${head.error.message}`);
      continue;
    }
    let baseText: string | null | undefined;
    if (base === null) baseText = undefined;
    else if (baseFile !== null) {
      const read = await readTemplateFile(baseFile, cwd);
      if (!read.ok) throw new UsageError(`--base ${base}: ${read.error.message}`);
      baseText = read.text;
    } else {
      // A renamed template is compared with its old path at the ref.
      const before = changes?.renamed.get(resolve(cwd, file)) ?? resolve(cwd, file);
      baseText = await showAt(base, before, cwd);
    }
    templates.push({ file, head: head.text, base: baseText });
  }
  // Templates the change deleted, under the directories given.
  if (changes) {
    const dirs = await directoriesOf(roots, cwd);
    for (const path of changes.deleted) {
      if (!dirs.some((dir) => path.startsWith(dir + sep)) || !TEMPLATE_EXTENSIONS.test(path)) continue;
      const text = await showAt(base as string, path, cwd);
      if (text !== null && looksLikeTemplate(text)) templates.push({ file: relative(cwd, path), head: null, base: text });
    }
  }
  return { templates, unreadable };
}

async function isRegularFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

async function directoriesOf(roots: string[], cwd: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const root of roots) {
    const path = resolve(cwd, root);
    if (await stat(path).then((info) => info.isDirectory(), () => false)) dirs.push(path);
  }
  return dirs;
}

async function gitChanges(ref: string, cwd: string): Promise<Changes> {
  try {
    return await changesSince(ref, cwd);
  } catch (error) {
    throw new UsageError(`--base ${ref}: ${(error as Error).message}`);
  }
}

async function showAt(ref: string, path: string, cwd: string): Promise<string | null> {
  try {
    return await gitShow(ref, path, cwd);
  } catch (error) {
    throw new UsageError(`--base ${ref}: ${(error as Error).message}`);
  }
}

interface Extras {
  trend: string | null;
  /** Every rule the config can run (SARIF describes custom rules too). */
  rules: Rule[];
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
      return JSON.stringify(renderSarif(report, extras.rules), null, 2) + "\n";
    case "mermaid": {
      const diagrams = report.templates.filter((t) => t.graph);
      return (
        diagrams
          .map((t) => {
            const text = renderMermaid(t.graph as NonNullable<typeof t.graph>, { base: t.baseGraph }).text;
            return diagrams.length > 1 ? `${mermaidComment(t.file)}\n${text}` : text;
          })
          .join("\n\n") + "\n"
      );
    }
    default:
      return renderText(report) + (extras.live ? liveText(extras.live) : "") + (extras.trend ? trendText(extras.trend) : "");
  }
}

/** Parse errors and template diagnostics as `file:line:column: severity: message`, for stderr. */
function templateProblems(report: CheckReport): string[] {
  const lines: string[] = [];
  for (const t of report.templates) {
    const file = terminalSafe(t.file);
    if (t.error) lines.push(`${file}:${t.error.line}:${t.error.column}: error: ${terminalSafe(t.error.message)}`);
    if (t.baseError) lines.push(`${file} (base):${t.baseError.line}:${t.baseError.column}: warning: the base version cannot be parsed: ${terminalSafe(t.baseError.message)}`);
    for (const d of t.diagnostics) lines.push(`${file}:${d.line}:${d.column}: ${d.severity}: ${terminalSafe(d.message)}`);
  }
  return lines;
}

/** The trend's prose (best / worst / last per template) without the charts and the markdown, for the terminal. */
function trendText(trend: string): string {
  // The prose escapes markdown (\#12) and marks code and figures (`abc`, **80**): plain text here.
  const lines = withoutCharts(trend)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => terminalSafe(line.replace(/\*\*/g, "").replace(/`/g, "").replace(/\\([\\`*_{}[\]()#+\-.!|<>&@])/g, "$1")));
  return lines.length ? `trend:\n${lines.map((l) => `  ${l}`).join("\n")}\n` : "";
}

/** The report with each template named by its path from the top of the git checkout (unchanged outside one). */
async function withRepositoryPaths(report: CheckReport, cwd: string): Promise<CheckReport> {
  const root = await checkoutRoot(cwd);
  if (root === null) return report;
  return { ...report, templates: report.templates.map((t) => ({ ...t, file: pathInCheckout(root, cwd, t.file) ?? t.file })) };
}
