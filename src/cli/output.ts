/** What a command produced: the caller writes it and exits with the code. */
export interface CommandOutput {
  stdout: string;
  /** stdout is a JSON document (its workflow-command escaping must keep it valid and lossless). */
  json?: boolean;
  stderr: string;
  exitCode: number;
}

/**
 * A Mermaid comment naming a template, for output holding several diagrams.
 * Only plain path characters survive: a `%%{...}%%` in a file name would
 * otherwise be read as a directive.
 */
export function mermaidComment(file: string): string {
  return `%% template: ${file.replace(/[^A-Za-z0-9._/ -]/g, "_")}`;
}
