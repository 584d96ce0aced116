import { applyGate } from "../fitness/gate.js";
import { compareFitness } from "../fitness/delta.js";
import { scoreTemplate } from "./rule-set.js";
import type { ResolvedConfig } from "../config/types.js";
import type { CheckReport, Fitness, Gate, TemplateCheck } from "../fitness/types.js";
import { buildGraph } from "../graph/build.js";
import type { EventGraph } from "../graph/types.js";
import { parseTemplate } from "../template/parse.js";
import type { Diagnostic } from "../template/types.js";

/** A template to check: its head text and, when comparing, its base text. */
export interface TemplateInput {
  file: string;
  /** null: the change deletes the template. */
  head: string | null;
  /** null: the change adds the template; undefined: no base was asked for. */
  base: string | null | undefined;
}

export interface CheckOptions {
  toolVersion: string;
  configPath: string | null;
  /** Override the config's threshold / max-decrease (command-line flags, action inputs). */
  threshold?: number | null;
  maxDecrease?: number | null;
  /** The day to judge on (YYYY-MM-DD); default today (UTC). Base and head share it. */
  date?: string;
}

interface Scored {
  fitness: Fitness | null;
  graph: EventGraph | null;
  error?: Diagnostic;
  diagnostics: Diagnostic[];
}

/**
 * The whole core pipeline for a set of templates: parse, build the graph,
 * score head and base, compare, apply the gate. Pure and synchronous: the
 * caller reads the files (working tree, git, the GitHub API).
 */
export function checkTemplates(inputs: readonly TemplateInput[], config: ResolvedConfig, options: CheckOptions): CheckReport {
  const threshold = options.threshold !== undefined && options.threshold !== null ? options.threshold : config.threshold;
  const maxDecrease = options.maxDecrease !== undefined && options.maxDecrease !== null ? options.maxDecrease : config.maxDecrease;
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const templates = inputs.map((input) => checkOne(input, config, threshold, maxDecrease, date));
  const failures = templates.flatMap((t) => t.gate.failures.map((f) => `${t.file}: ${f}`));
  const gate: Gate = { passed: failures.length === 0, threshold, maxDecrease, failures };
  return { templates, gate, toolVersion: options.toolVersion, configPath: options.configPath };
}

function checkOne(input: TemplateInput, config: ResolvedConfig, threshold: number | null, maxDecrease: number | null, date: string): TemplateCheck {
  const head = input.head === null ? null : score(input.file, input.head, config, date);
  const base = input.base === undefined || input.base === null ? null : score(input.file, input.base, config, date);
  const change: TemplateCheck["change"] =
    input.base === undefined ? "no-base" : input.head === null ? "deleted" : input.base === null ? "added" : input.base === input.head ? "unchanged" : "modified";
  const delta = head?.fitness && base?.fitness ? compareFitness(base.fitness, head.fitness) : null;
  let gate: Gate;
  if (head?.error) {
    gate = { passed: false, threshold, maxDecrease, failures: [`the template cannot be analysed: line ${head.error.line}: ${head.error.message}`] };
  } else if (input.head === null) {
    gate = { passed: true, threshold, maxDecrease, failures: [] };
  } else {
    gate = applyGate(head?.fitness ?? null, delta, { threshold, maxDecrease });
    // A template with errors (a resource CloudFormation would reject) fails
    // whatever its score: leaving a resource out must not raise the score.
    const errors = (head?.diagnostics ?? []).filter((d) => d.severity === "error");
    if (errors.length > 0) {
      const first = errors[0] as Diagnostic;
      gate = {
        ...gate,
        passed: false,
        failures: [...gate.failures, `the template has ${errors.length} error(s), first at line ${first.line}: ${first.message}`],
      };
    }
  }
  const check: TemplateCheck = {
    file: input.file,
    ok: !head?.error,
    change,
    diagnostics: head?.diagnostics ?? [],
    fitness: head?.fitness ?? null,
    base: base?.fitness ?? null,
    delta,
    gate,
    graph: head?.graph ?? null,
    baseGraph: base?.graph ?? null,
  };
  if (head?.error) check.error = head.error;
  if (base?.error) check.baseError = base.error;
  return check;
}

function score(file: string, text: string, config: ResolvedConfig, date: string): Scored {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) return { fitness: null, graph: null, error: parsed.error, diagnostics: [] };
  const graph = buildGraph(parsed.template);
  const fitness = scoreTemplate({ template: parsed.template, graph, date }, config);
  return { fitness, graph, diagnostics: parsed.template.diagnostics };
}
