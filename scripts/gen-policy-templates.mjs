#!/usr/bin/env node
// Regenerates src/graph/policy-templates.generated.ts from SAM's policy_templates.json.
//
//   node scripts/gen-policy-templates.mjs [path/to/policy_templates.json]
//
// The default input is the copy in the shared test corpus. The derivation
// itself lives in src/graph/extract/access/policy-template-codegen.ts (loaded
// through tsx) so that the freshness test runs exactly the same code.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = new URL("../", import.meta.url);
const input = process.argv[2] ?? fileURLToPath(new URL("../shared/corpus/sam-translator/policy_templates.json", root));
const output = fileURLToPath(new URL("src/graph/policy-templates.generated.ts", root));

const { renderPolicyTemplates } = await tsImport("../src/graph/extract/access/policy-template-codegen.ts", import.meta.url);
const json = JSON.parse(readFileSync(input, "utf8"));
writeFileSync(output, renderPolicyTemplates(json));
console.log(`wrote ${output} (${Object.keys(json.Templates ?? {}).length} policy templates from ${input})`);
