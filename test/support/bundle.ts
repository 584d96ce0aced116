/**
 * The committed bundles (dist/) as tests run them. A test that runs a bundle
 * calls ensureBuilt() first: it rebuilds dist/ when a source is newer, so a
 * local run after an edit tests the edit (CI builds before testing anyway).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const actionBundle = join(repoRoot, "dist", "index.js");
export const cliBundle = join(repoRoot, "dist", "cli.js");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/ when a bundle is missing or older than the sources. */
export function ensureBuilt(): void {
  const built = [join(repoRoot, "dist", "action", "index.js"), join(repoRoot, "dist", "cli", "index.js")];
  const sources = Math.max(newest(join(repoRoot, "src")), newest(join(repoRoot, "rules")), statSync(join(repoRoot, "package-lock.json")).mtimeMs);
  const fresh = [actionBundle, cliBundle].every((f) => existsSync(f)) && built.every((f) => existsSync(f) && statSync(f).mtimeMs >= sources);
  if (fresh) return;
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "pipe", timeout: 300_000 });
}
