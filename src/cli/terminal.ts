import { isControl, neutraliseWorkflowCommands } from "../render/escape.js";

/**
 * Text from a template (logical IDs, file names, messages) as a terminal may
 * show it: control characters (escape sequences, bells, carriage returns,
 * C1 controls, line and paragraph separators, bidi controls) become a
 * visible `?`, so a template cannot recolour, retitle or rewrite the user's
 * terminal, or start a line of its own.
 */
export function terminalSafe(text: string): string {
  let out = "";
  for (const ch of String(text)) out += isControl(ch.codePointAt(0) ?? 0) ? "?" : ch;
  return out;
}

/**
 * Everything the CLI writes, as its last step. Lines stay lines (only `\n`
 * ends one); within each, control characters become `?`; and, as the CLI
 * also runs in workflow steps, no line can be read as a workflow command.
 * A JSON document is left as it is but for the command escaping, which is
 * lossless there.
 */
export function terminalOutput(text: string, json = false): string {
  if (json) return neutraliseWorkflowCommands(text, true);
  return neutraliseWorkflowCommands(String(text).split("\n").map(terminalSafe).join("\n"));
}
