/**
 * What a GitHub Actions runner reads as workflow commands in a step's output,
 * as the runner parses it: a line whose trimmed text starts with `::name`
 * (the current syntax) or that holds `##[name` anywhere (the older one).
 * Tests use it to check that text from a pull request issues none.
 */
export interface RunnerCommand {
  name: string;
  line: string;
}

export function runnerCommands(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  // The runner splits lines on LF and CR, and .NET's Trim() also strips Unicode white space and NEL.
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(/^[\s\u0085]+/, "");
    const current = /^::([A-Za-z-]+)/.exec(trimmed);
    if (current) commands.push({ name: current[1]!.toLowerCase(), line });
    const older = /##\[([A-Za-z-]+)/.exec(line);
    if (older) commands.push({ name: older[1]!.toLowerCase(), line });
  }
  return commands;
}

/** File names, logical IDs and messages a hostile pull request could write (all legal in git and YAML). */
export const HOSTILE_TEXT = [
  "services/x\n::error title=Forged,file=README.md,line=1::pwned.yaml",
  "a\r::add-mask::secretword",
  "b\n::stop-commands::tok123\n::warning::after stop",
  "::add-mask::word at the start",
  "  ::notice::indented",
  "\u3000::notice::ideographic space",
  "x ##[add-mask]hidden and ##[error]forged",
  "c\u2028::error::line separator",
  "d\u0085::error::next line",
  "e\u001b[31mred\u001b[0m::group::x",
];
