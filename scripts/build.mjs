// Builds the committed bundles: dist/index.js (the Action) and dist/cli.js (the CLI).
// Each entry is bundled by ncc into its own folder; dist/cli.js is a one-line
// entry point so that `node dist/cli.js` works from a fresh clone.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const ncc = join("node_modules", ".bin", "ncc");
const entries = [
  { src: "src/action/main.ts", out: "dist/action" },
  { src: "src/cli/main.ts", out: "dist/cli" },
];
if (!existsSync(ncc)) {
  console.error(`build: ${ncc} is missing; run npm ci first (dist/ was left as it is)`);
  process.exit(1);
}
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist", { recursive: true });
for (const { src, out } of entries) {
  if (!existsSync(src)) continue;
  execFileSync(ncc, ["build", src, "-o", out, "--minify", "--no-source-map-register", "--quiet", "--license", "licenses.txt"], { stdio: "inherit" });
}
writeFileSync("dist/package.json", JSON.stringify({ type: "module" }, null, 2) + "\n");
if (existsSync("dist/action/index.js")) writeFileSync("dist/index.js", 'import "./action/index.js";\n');
if (existsSync("dist/cli/index.js")) writeFileSync("dist/cli.js", '#!/usr/bin/env node\nimport "./cli/index.js";\n');
