/**
 * Leniency for one common YAML slip that strict YAML 1.2 parsers reject but
 * the loaders CloudFormation users run (PyYAML in SAM CLI and cfn-lint)
 * accept: a flow collection (`[...]` or `{...}`) that is the value of a block
 * mapping key and whose continuation lines are indented at or left of that
 * key:
 *
 *     Resource: [
 *     !Sub "arn:...",
 *     ]
 *
 * `reindentFlowValue` moves the continuation lines of such a collection to the
 * right of its key, so the text parses, and reports by how much each line
 * moved so positions can be mapped back to the original columns.
 */

/** The text with one collection re-indented, and the added indent of each moved line (0-based line index). */
export interface Reindented {
  text: string;
  shifts: Map<number, number>;
}

const KEY_WITH_FLOW_VALUE = /^( *)(?:- +)?[^\s#][^:#]*:\s+(?:![A-Za-z]+\s+)?([[{])/;
/** How far above the error line the collection's opening key may be. */
const LOOKBACK_LINES = 500;

/**
 * Re-indents the flow collection that encloses `errorLine` (1-based), the
 * first under-indented line the parser complained about. Returns undefined
 * when no block key with a flow value encloses that line.
 */
export function reindentFlowValue(text: string, errorLine: number): Reindented | undefined {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const errorOffset = lineStarts[errorLine - 1];
  if (errorOffset === undefined) return undefined;
  for (let l = errorLine - 2; l >= 0 && l >= errorLine - 1 - LOOKBACK_LINES; l--) {
    const ls = lineStarts[l] as number;
    const le = l + 1 < lineStarts.length ? (lineStarts[l + 1] as number) - 1 : text.length;
    const match = KEY_WITH_FLOW_VALUE.exec(text.slice(ls, le));
    if (!match) continue;
    const open = ls + match[0].length - 1;
    const close = matchingBracket(text, open);
    if (close === undefined || close < errorOffset) continue;
    return shiftLines(text, lineStarts, l + 1, close, (match[1] as string).length);
  }
  return undefined;
}

function shiftLines(text: string, lineStarts: number[], firstLine: number, close: number, keyIndent: number): Reindented | undefined {
  const shifts = new Map<number, number>();
  const pieces: string[] = [];
  let cursor = 0;
  for (let l = firstLine; l < lineStarts.length; l++) {
    const ls = lineStarts[l] as number;
    if (ls > close) break;
    let indent = 0;
    while (text[ls + indent] === " ") indent++;
    if (indent > keyIndent) continue;
    const pad = keyIndent + 1 - indent;
    pieces.push(text.slice(cursor, ls), " ".repeat(pad));
    cursor = ls;
    shifts.set(l, pad);
  }
  if (shifts.size === 0) return undefined;
  pieces.push(text.slice(cursor));
  return { text: pieces.join(""), shifts };
}

/** Offset of the bracket closing the one at `open`, skipping quoted strings and comments. */
function matchingBracket(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "'") {
      for (i++; i < text.length; i++) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === "#" && (text[i - 1] === " " || text[i - 1] === "\n")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "[" || c === "{") {
      depth++;
    } else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return undefined;
}
