/**
 * The Action's only way to the step log. Everything it prints can hold text
 * from the pull request (file names, logical IDs, rule messages, config text),
 * and the runner reads workflow commands from that same stream: a file name
 * with a newline and `::add-mask::word`, `::stop-commands::` or
 * `::error file=...::` would otherwise reach the runner as a command. So every
 * line goes through here and is neutralised (see workflowLogLine in
 * render/escape.ts); the lint config keeps `@actions/core`'s logging and
 * direct writes to stdout out of the rest of the Action.
 */
import * as core from "@actions/core";
import { isControl, neutraliseWorkflowCommands, workflowLogLine } from "../render/escape.js";

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/**
 * An annotation's message is command data: the toolkit escapes `%`, CR and LF
 * in it and the runner shows its line breaks in the annotation, so it keeps
 * them, and loses the other control characters (escape sequences, bidi
 * overrides). The older `##[command]` syntax is broken in it too, so no reading
 * of the line finds a second command. Its title and file are single lines.
 */
function annotationText(text: string): string {
  let out = "";
  for (const ch of String(text).replace(/\r\n?/g, "\n")) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\n" || ch === "\t" || !isControl(code)) out += ch;
  }
  return neutraliseWorkflowCommands(out);
}

function annotationProperties(properties: AnnotationProperties | undefined): core.AnnotationProperties | undefined {
  if (!properties) return undefined;
  const out: core.AnnotationProperties = { ...properties };
  if (properties.title !== undefined) out.title = workflowLogLine(properties.title);
  if (properties.file !== undefined) out.file = workflowLogLine(properties.file);
  return out;
}

export const log = {
  /** One line of the log: line breaks in it are shown as `%0A`, never start a new line. */
  info(message: string): void {
    core.info(workflowLogLine(message));
  },
  warning(message: string, properties?: AnnotationProperties): void {
    core.warning(annotationText(message), annotationProperties(properties));
  },
  error(message: string, properties?: AnnotationProperties): void {
    core.error(annotationText(message), annotationProperties(properties));
  },
  notice(message: string, properties?: AnnotationProperties): void {
    core.notice(annotationText(message), annotationProperties(properties));
  },
  /** Fails the step with this message (an error annotation). */
  setFailed(message: string): void {
    core.setFailed(annotationText(message));
  },
};

export type ActionLog = typeof log;
