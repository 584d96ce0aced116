// Writes docs/rules/<id>.md for every built-in rule and the index
// docs/rules/README.md, from the rules' definitions (src/app/rule-docs.ts).
// test/docs/rule-pages.test.ts fails when the committed pages are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_RULES } from "../rules/index.js";
import { ruleDocs } from "../src/app/rule-docs.js";

const dir = fileURLToPath(new URL("../docs/rules/", import.meta.url));
mkdirSync(dir, { recursive: true });
const files = ruleDocs(BUILTIN_RULES);
for (const name of readdirSync(dir)) if (name.endsWith(".md") && !files.has(name)) rmSync(join(dir, name));
for (const [name, text] of files) writeFileSync(join(dir, name), text);
console.log(`docs/rules: ${files.size} files`);
