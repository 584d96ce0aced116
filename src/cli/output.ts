/** What a command produced: the caller writes it and exits with the code. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}
