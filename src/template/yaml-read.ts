import { Composer, LineCounter, Parser } from "yaml";
import type { Document, YAMLError } from "yaml";
import { SourceError } from "./errors.js";
import { reindentFlowValue } from "./flow-indent.js";
import { tooDeep, tooDeepOffset } from "./limits.js";
import type { Position } from "./types.js";

/** Columns added by the flow-indentation repair, per 0-based line, to map positions back. */
type Shifts = Map<number, number>;

interface Parsed {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

/** The documents of a text; `at` maps an offset in them to the line and column as written (before any repair). */
export interface ReadYaml {
  docs: Document.Parsed[];
  at: (offset: number) => Position;
  repairedLines: number[];
}

/**
 * Parses YAML (JSON included) into the YAML library's documents, errors kept
 * in them; `lenient`: accept under-indented flow collections (YAML only).
 * Throws SourceError for nesting deeper than MAX_DEPTH.
 */
export function readYaml(source: string, lenient: boolean): ReadYaml {
  const { parsed, shifts, repairedLines } = lenient ? repairFlowIndents(source) : { parsed: parseText(source, new Map()), shifts: new Map(), repairedLines: [] };
  return { docs: parsed.docs, at: positionIn(parsed.lineCounter, shifts), repairedLines };
}

function positionIn(lineCounter: LineCounter, shifts: Shifts): (offset: number) => Position {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    const shift = shifts.get(line - 1) ?? 0;
    return { line, column: Math.max(1, col - shift) };
  };
}

/** How many under-indented flow collections one file may have repaired. */
const MAX_FLOW_REPAIRS = 20;
/**
 * How many times the repaired text is parsed again. Each parse costs as much
 * as the first (seconds for a file of megabytes), so the repairs are made in
 * batches, all the slips one parse reports at once, not one parse per slip.
 */
const MAX_REPAIR_ROUNDS = 2;

/**
 * Parses YAML, accepting under-indented flow collections (see flow-indent.ts):
 * when the first error is one, every such slip the parser reported is
 * re-indented and the text parsed again. A repair that does not make its
 * error go away is dropped with the ones after it, so the error reported is
 * the strict parser's own for that line.
 */
function repairFlowIndents(original: string): { parsed: Parsed; shifts: Shifts; repairedLines: number[] } {
  let source = original;
  let shifts: Shifts = new Map();
  let parsed = parseText(source, shifts);
  const repairedLines: number[] = [];
  for (let round = 0; round < MAX_REPAIR_ROUNDS && repairedLines.length < MAX_FLOW_REPAIRS; round++) {
    const first = firstError(parsed.docs);
    if (!first || !isFlowIndentError(first)) break;
    // Each step: the text after one more repair, and the line it repaired.
    const steps: { text: string; line: number; shifts: Shifts }[] = [];
    let text = source;
    for (const line of flowIndentLines(parsed).slice(0, MAX_FLOW_REPAIRS - repairedLines.length)) {
      const repaired = reindentFlowValue(text, line);
      if (!repaired) continue;
      text = repaired.text;
      steps.push({ text, line, shifts: repaired.shifts });
    }
    if (steps.length === 0) break;
    const next = parseText(text, addShifts(shifts, steps));
    const left = new Set(flowIndentLines(next));
    const failed = steps.findIndex((step) => left.has(step.line));
    const kept = failed < 0 ? steps : steps.slice(0, failed);
    if (kept.length === 0) break;
    const keptShifts = addShifts(shifts, kept);
    parsed = failed < 0 ? next : parseText((kept[kept.length - 1] as { text: string }).text, keptShifts);
    source = (kept[kept.length - 1] as { text: string }).text;
    shifts = keptShifts;
    repairedLines.push(...kept.map((step) => step.line));
    if (failed >= 0) break;
  }
  return { parsed, shifts, repairedLines };
}

function addShifts(base: Shifts, steps: readonly { shifts: Shifts }[]): Shifts {
  const out = new Map(base);
  for (const step of steps) for (const [line, pad] of step.shifts) out.set(line, (out.get(line) ?? 0) + pad);
  return out;
}

function isFlowIndentError(error: YAMLError): boolean {
  return error.code === "BAD_INDENT" && /^Flow (map|sequence) in block collection/.test(error.message);
}

/** The distinct 1-based lines of the flow-indentation errors of a parse, in order. */
function flowIndentLines(parsed: Parsed): number[] {
  const lines = new Set<number>();
  for (const doc of parsed.docs) for (const error of doc.errors) if (isFlowIndentError(error)) lines.add(parsed.lineCounter.linePos(error.pos[0]).line);
  return [...lines].sort((a, b) => a - b);
}

/**
 * The YAML library's parse, in its two steps: the syntax tree (built with a
 * loop, whatever the nesting), then the document (built recursively). The
 * nesting is checked in between, so that the second step cannot overflow the
 * stack.
 */
function parseText(source: string, shifts: Shifts): Parsed {
  const lineCounter = new LineCounter();
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(source));
  const deep = tooDeepOffset(tokens);
  if (deep !== undefined) {
    const pos = positionIn(lineCounter, shifts)(deep);
    throw new SourceError(tooDeep(), pos.line, pos.column);
  }
  const composer = new Composer({
    // Duplicate keys are reported by the converter as warnings (last one wins,
    // as in the YAML loaders CloudFormation tooling uses), not as fatal errors.
    uniqueKeys: false,
    strict: false,
    keepSourceTokens: false,
  });
  return { docs: Array.from(composer.compose(tokens)), lineCounter };
}

export function firstError(docs: Document.Parsed[]): YAMLError | undefined {
  for (const doc of docs) if (doc.errors[0]) return doc.errors[0];
  return undefined;
}
