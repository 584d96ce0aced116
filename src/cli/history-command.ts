import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { readHistoryFile, renderTrend } from "../history/index.js";
import { oneOf, optionalString, parseCommand, UsageError } from "./args.js";
import type { CommandOutput } from "./output.js";

export const HISTORY_USAGE = `Usage: sam-fitness history <file> [--format markdown|json] [--template <path>]

Prints the fitness trend recorded in a history file (written by
'check --history file:<file>' or by the Action with 'history: file:<path>').`;

export async function historyCommand(argv: string[], cwd: string): Promise<CommandOutput> {
  const { values, positionals } = parseCommand(argv, { format: { type: "string" }, template: { type: "string" } });
  const format = oneOf("format", values["format"], ["markdown", "json"] as const, "markdown");
  if (positionals.length !== 1) throw new UsageError("history takes exactly one history file");
  const path = resolve(cwd, positionals[0] as string);
  if (!existsSync(path)) throw new UsageError(`${positionals[0]}: no such history file`);
  const file = await readHistoryFile(path);
  if (format === "json") return { stdout: JSON.stringify(file, null, 2) + "\n", json: true, stderr: "", exitCode: 0 };
  const template = optionalString(values["template"]);
  return { stdout: renderTrend(file.records, template ? { template } : {}) + "\n", stderr: "", exitCode: 0 };
}
