import { checkCommand, CHECK_USAGE } from "./check-command.js";
import { graphCommand, GRAPH_USAGE } from "./graph-command.js";
import { historyCommand, HISTORY_USAGE } from "./history-command.js";
import { UsageError } from "./args.js";
import type { CommandOutput } from "./output.js";
import { terminalOutput } from "./terminal.js";
import { table, type Table } from "../tables.js";
import { VERSION } from "../version.js";
import { isSamFitnessError } from "../errors.js";

const USAGE = `sam-fitness ${VERSION}: architecture fitness for AWS SAM applications

Commands:
  graph <files|dirs...>    print the event graph (--format json|mermaid|text)
  check <files|dirs...>    score fitness, compare with --base, apply the gate
  history <file>           print the fitness trend of a history file

Run 'sam-fitness <command> --help' for a command's options.`;

interface Command {
  run: (argv: string[], cwd: string) => Promise<CommandOutput>;
  usage: string;
}

const COMMANDS: Table<Command> = table<Command>({
  graph: { run: graphCommand, usage: GRAPH_USAGE },
  check: { run: checkCommand, usage: CHECK_USAGE },
  history: { run: historyCommand, usage: HISTORY_USAGE },
});

/** Runs the CLI with these arguments; writes to stdout/stderr and returns the exit code. */
export async function runCli(argv: string[], cwd: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(VERSION + "\n");
    return 0;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    writeErr(`unknown command: ${name}\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage + "\n");
    return 0;
  }
  try {
    const output = await command.run(rest, cwd);
    if (output.stderr) writeErr(output.stderr);
    // Known before writing: a reader that closes the pipe early must not turn a failed gate into success.
    process.exitCode = output.exitCode;
    await write(terminalOutput(output.stdout, output.json));
    return output.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      writeErr(`sam-fitness ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (isSamFitnessError(error)) {
      writeErr(`sam-fitness ${name}: ${error.message}\n`);
      return error.kind === "failure" ? 1 : 2;
    }
    writeErr(`sam-fitness ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** Writes to stderr through the same neutralising as stdout: error messages quote file names and config text. */
export function writeErr(text: string): void {
  process.stderr.write(terminalOutput(text));
}

/** Writes to stdout and waits until it is flushed (large reports piped to another process). */
function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", () => resolve());
  });
}
