// Builds the committed bundles: dist/index.js (the Action) and dist/cli.js (the CLI).
// Each entry is bundled by ncc into its own folder; dist/cli.js is a one-line
// entry point so that `node dist/cli.js` works from a fresh clone.
// `node scripts/build.mjs DIR` builds into DIR instead (the tests build into a
// temporary folder, so that running them never changes the checkout).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const dist = resolve(process.argv[2] ?? "dist");

const ncc = join("node_modules", ".bin", "ncc");
const entries = [
  { src: "src/action/main.ts", out: join(dist, "action") },
  { src: "src/cli/main.ts", out: join(dist, "cli") },
];
if (!existsSync(ncc)) {
  console.error(`build: ${ncc} is missing; run npm ci first (${dist} was left as it is)`);
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const { src, out } of entries) {
  if (!existsSync(src)) continue;
  execFileSync(ncc, ["build", src, "-o", out, "--minify", "--no-source-map-register", "--quiet", "--license", "licenses.txt"], { stdio: "inherit" });
}
writeFileSync(join(dist, "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");
if (existsSync(join(dist, "action/index.js"))) writeFileSync(join(dist, "index.js"), 'import "./action/index.js";\n');
if (existsSync(join(dist, "cli/index.js"))) {
  writeFileSync(join(dist, "cli.js"), '#!/usr/bin/env node\nimport "./cli/index.js";\n');
  chmodSync(join(dist, "cli.js"), 0o755); // the package's bin: runnable as ./dist/cli.js
}
