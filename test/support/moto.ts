/**
 * Python's moto AWS emulator (`moto_server`) for integration tests: found on
 * PATH, started on a free 127.0.0.1 port in its own process group, stopped
 * with everything it started. Where it must be there (CI), set
 * REQUIRE_MOTO_SERVER=1 and `requireMotoTest` fails instead of skipping.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { expect, it } from "vitest";

/** Path of moto_server on PATH, or null. */
export const MOTO_SERVER: string | null = (() => {
  const found = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
})();

/** Registers the test that fails when moto_server is required but missing, and warns when it is only missing. */
export function requireMotoTest(what: string): void {
  if (!MOTO_SERVER) console.warn(`SKIPPED: ${what}: moto_server is not on PATH (pip install 'moto[server]').`);
  it.runIf(!MOTO_SERVER && process.env["REQUIRE_MOTO_SERVER"] === "1")("moto_server is installed", () => {
    expect.fail(`${what}: moto_server is not on PATH, and REQUIRE_MOTO_SERVER=1 is set`);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  endpoint: string;
  stop(): void;
}

/** Starts moto_server and waits until it answers (45 s at most). */
export async function startMoto(): Promise<MotoServer> {
  if (!MOTO_SERVER) throw new Error("moto_server is not on PATH");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = "";
  // Its own process group, so that stopping it stops whatever it started and nothing else.
  const moto: ChildProcess = spawn(MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  moto.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  moto.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = (): void => {
    if (moto.pid === undefined || moto.exitCode !== null) return;
    try {
      process.kill(-moto.pid, "SIGTERM");
    } catch {
      moto.kill("SIGTERM");
    }
  };
  const deadline = Date.now() + 45_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || moto.exitCode !== null) {
      stop();
      throw new Error(`moto_server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
