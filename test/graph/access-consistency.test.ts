import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/graph/index.js";
import { POLICY_TEMPLATES } from "../../src/graph/policy-templates.generated.js";
import { parseTemplate } from "../../src/template/index.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/sam-translator/", import.meta.url));

const TEMPLATE_NAMES = [...POLICY_TEMPLATES.keys()];

interface Parsed {
  edges: Set<string>;
  resources: Set<string>;
  text: string;
}

function load(file: string): Parsed | undefined {
  const text = readFileSync(file, "utf8");
  const result = parseTemplate(text, file);
  if (!result.ok) return undefined;
  const edges = buildGraph(result.template)
    .edges.filter((e) => e.kind === "read" || e.kind === "write")
    .map((e) => `${e.from}\u0000${e.kind}\u0000${e.to}`);
  return { edges: new Set(edges), resources: new Set(result.template.resources.keys()), text };
}

/**
 * Templates whose permissions come from policy templates or connectors. The
 * translator also grants permissions of its own (event source pollers may
 * read their Kafka/MQ secrets, async destinations may be written to): those
 * name resources SAM generates or literal ARNs, so only edges between
 * resources declared in the SAM input are compared.
 */
function usesPolicyTemplatesOrConnectors(text: string): boolean {
  return /Connectors:|AWS::Serverless::Connector/.test(text) || TEMPLATE_NAMES.some((name) => text.includes(`${name}:`));
}

describe("SAM form and translated CloudFormation give the same read/write edges", () => {
  it("finds in the SAM input most read/write edges of the translated output", () => {
    let found = 0;
    let total = 0;
    const missing: string[] = [];
    for (const name of readdirSync(`${corpus}input`).sort()) {
      if (!name.endsWith(".yaml") || name.startsWith("error_")) continue;
      const output = `${corpus}output/${name.replace(/\.yaml$/, ".json")}`;
      if (!existsSync(output)) continue;
      const input = load(`${corpus}input/${name}`);
      const translated = load(output);
      if (!input || !translated || !usesPolicyTemplatesOrConnectors(input.text)) continue;
      for (const edge of translated.edges) {
        const [from, , to] = edge.split("\u0000") as [string, string, string];
        if (!input.resources.has(from) || !input.resources.has(to)) continue;
        total++;
        if (input.edges.has(edge)) found++;
        else missing.push(`${name}: ${edge.split("\u0000").join(" ")}`);
      }
    }
    const share = found / total;
    console.log(`read/write edges of translated outputs found in SAM inputs: ${found}/${total} = ${(share * 100).toFixed(1)}%`);
    if (process.env["SHOW_MISSING"]) console.log(missing.join("\n"));
    expect(total).toBeGreaterThan(30);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });
});
