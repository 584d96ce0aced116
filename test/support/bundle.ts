/**
 * The bundles (the Action's and the CLI's) as tests run them. They are built
 * from the current sources into a temporary folder named by a hash of those
 * sources, so a run after an edit tests the edit, repeated runs build once,
 * and the checkout (dist/ included) is never written. CI, which has just
 * checked that dist/ is a fresh build of src/, points SAM_FITNESS_BUNDLE_DIR
 * at dist/ to test the committed bundles themselves.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else {
      hash.update(path.slice(repoRoot.length));
      hash.update(readFileSync(path));
    }
  }
}

function sourceHash(): string {
  const hash = createHash("sha256");
  for (const dir of ["src", "rules"]) hashTree(hash, join(repoRoot, dir));
  for (const file of ["package-lock.json", "scripts/build.mjs"]) hash.update(readFileSync(join(repoRoot, file)));
  return hash.digest("hex").slice(0, 16);
}

const fromEnv = process.env.SAM_FITNESS_BUNDLE_DIR;
export const bundleDir = fromEnv ? resolve(repoRoot, fromEnv) : join(tmpdir(), `sam-fitness-bundle-${sourceHash()}`);
export const actionBundle = join(bundleDir, "index.js");
export const cliBundle = join(bundleDir, "cli.js");

/** Builds the bundles for the current sources unless they are built (or given by SAM_FITNESS_BUNDLE_DIR). */
export function ensureBuilt(): void {
  if (existsSync(actionBundle) && existsSync(cliBundle)) return;
  if (fromEnv) throw new Error(`SAM_FITNESS_BUNDLE_DIR=${fromEnv} holds no bundles`);
  // Built aside and renamed into place: test files building at once in parallel workers never see half a build.
  const building = `${bundleDir}.${process.pid}`;
  execFileSync(process.execPath, [join(repoRoot, "scripts", "build.mjs"), building], { cwd: repoRoot, stdio: "pipe", timeout: 300_000 });
  try {
    renameSync(building, bundleDir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another worker finished first
  }
}
