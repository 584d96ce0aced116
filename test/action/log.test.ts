import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log } from "../../src/action/log.js";
import { HOSTILE_TEXT, runnerCommands } from "../support/runner-commands.js";

/** What the Action writes to stdout while `fn` runs (the runner's command channel). */
function captured(fn: () => void): string {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe("the Action's log layer", () => {
  const env = { ...process.env };
  beforeEach(() => {
    // Annotations go to stdout as commands, not to a file.
    delete process.env.GITHUB_OUTPUT;
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.env = { ...env };
    process.exitCode = undefined;
  });

  it("an info line from a pull request issues no command, whatever it holds", () => {
    for (const text of HOSTILE_TEXT) {
      const out = captured(() => log.info(`Analysing 1 template(s): ${text}`));
      expect(runnerCommands(out), JSON.stringify(text)).toEqual([]);
      // One line of the log per call: the name's line breaks are shown, not followed.
      expect(out.split("\n").filter(Boolean)).toHaveLength(1);
    }
  });

  it("an info line that starts with the pull request's text issues no command either", () => {
    for (const text of HOSTILE_TEXT) expect(runnerCommands(captured(() => log.info(text))), JSON.stringify(text)).toEqual([]);
  });

  it("shows a line break in a file name as %0A, so the log still tells what the name was", () => {
    expect(captured(() => log.info("file a\nb.yaml"))).toBe("file a%0Ab.yaml\n");
  });

  it("an annotation is exactly one command, of its own kind, with the hostile text as its data", () => {
    for (const text of HOSTILE_TEXT) {
      for (const level of ["warning", "error", "notice"] as const) {
        const out = captured(() => log[level](`finding in ${text}`, { title: text, file: text, startLine: 3 }));
        const commands = runnerCommands(out);
        expect(commands.map((c) => c.name), JSON.stringify(text)).toEqual([level]);
        // The file property cannot be closed early to forge another file or line.
        expect(commands[0]!.line).toMatch(new RegExp(`^::${level} title=[^:]*,file=[^:]*,line=3::`));
      }
    }
  });

  it("setFailed fails the step with one error command", () => {
    const out = captured(() => log.setFailed(`sam-fitness gate failed:\n- ${HOSTILE_TEXT[0]}`));
    expect(runnerCommands(out).map((c) => c.name)).toEqual(["error"]);
    expect(process.exitCode).toBe(1);
  });
});
