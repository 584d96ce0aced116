import { graphTemplate } from "../app/graph.js";
import type { GraphResult } from "../app/graph.js";
import { renderMermaid } from "../render/mermaid.js";
import { NoTemplatesError, oneOf, parseCommand, UsageError } from "./args.js";
import { terminalSafe } from "./terminal.js";
import { mermaidComment } from "./output.js";
import type { CommandOutput } from "./output.js";
import { findTemplates, readTemplateFile } from "./read.js";

export const GRAPH_USAGE = `Usage: sam-fitness graph <files|dirs...> [--format json|mermaid|text]

Builds the event graph of each template (YAML or JSON). Directories are
searched for templates, skipping node_modules, .aws-sam and cdk.out.
Exit code: 0 when every template parsed, 1 when any failed, 2 on a usage error.`;

export async function graphCommand(argv: string[], cwd: string): Promise<CommandOutput> {
  const { values, positionals } = parseCommand(argv, { format: { type: "string" } });
  const format = oneOf("format", values["format"], ["json", "mermaid", "text"] as const, "text");
  if (positionals.length === 0) throw new UsageError("graph needs at least one template file or directory");
  const files = await findTemplates(positionals, cwd);
  if (files.length === 0) throw new NoTemplatesError(`no templates found in ${positionals.join(", ")}`);
  const results: GraphResult[] = [];
  for (const file of files) {
    const read = await readTemplateFile(file, cwd);
    results.push(read.ok ? graphTemplate(file, read.text) : { file, ok: false, error: read.error });
  }
  const failed = results.some((r) => !r.ok);
  return { stdout: render(results, format), json: format === "json", stderr: diagnostics(results, format !== "text"), exitCode: failed ? 1 : 0 };
}

function render(results: GraphResult[], format: "json" | "mermaid" | "text"): string {
  if (format === "json") return JSON.stringify({ templates: results }, null, 2) + "\n";
  const blocks: string[] = [];
  for (const r of results) {
    if (!r.ok) {
      blocks.push(format === "mermaid" ? `${mermaidComment(r.file)} (not parsed, see the error)` : `${t(r.file)}:${r.error.line}:${r.error.column}: error: ${t(r.error.message)}`);
      continue;
    }
    if (format === "mermaid") {
      blocks.push(results.length > 1 ? `${mermaidComment(r.file)}\n${renderMermaid(r.graph).text}` : renderMermaid(r.graph).text);
      continue;
    }
    const lines = [`${t(r.file)}: ${r.graph.nodes.length} nodes, ${r.graph.edges.length} edges`];
    for (const n of r.graph.nodes) lines.push(`  node ${t(n.id)} (${n.kind}, ${t(n.type)}) line ${n.line}${n.implicit ? " [implicit]" : ""}`);
    for (const e of r.graph.edges) lines.push(`  edge ${t(e.from)} -${e.kind}-> ${t(e.to)} line ${e.line}${e.label ? ` (${t(e.label)})` : ""}`);
    const m = r.graph.metrics;
    lines.push(`  metrics: longest trigger chain ${m.longestTriggerChain}, max fan-out ${m.maxFanOut.value}, cycles ${m.cycles.length}, components ${m.components}`);
    blocks.push(lines.join("\n"));
  }
  return blocks.join("\n\n") + "\n";
}

/** Template text in a terminal: no control characters or escape sequences. */
const t = terminalSafe;

function diagnostics(results: GraphResult[], withErrors: boolean): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.ok) for (const d of r.diagnostics) lines.push(`${t(r.file)}:${d.line}:${d.column}: ${d.severity}: ${t(d.message)}`);
    else if (withErrors) lines.push(`${t(r.file)}:${r.error.line}:${r.error.column}: error: ${t(r.error.message)}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

