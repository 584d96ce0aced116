import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { PROTOTYPE_NAMES } from "../support/prototype-names.js";

/** stdout and stderr of one CLI run in-process, and its exit code. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(argv, process.cwd());
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

describe("sam-fitness <command> named like an Object.prototype member", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(PROTOTYPE_NAMES)("%j is an unknown command: usage on stderr, exit 2, no stack trace", async (name) => {
    for (const argv of [[name], [name, "--help"], [name, "template.yaml"]]) {
      const { code, stdout, stderr } = await cli(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.startsWith(`unknown command: ${name}\n`), stderr.slice(0, 200)).toBe(true);
      expect(stderr).toContain("Commands:");
      expect(stderr).not.toMatch(/unexpected error|TypeError|\n\s+at /);
    }
  });
});
