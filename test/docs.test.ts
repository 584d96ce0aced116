import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../rules/index.js";
import { VERSION } from "../src/version.js";

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

describe("documentation stays true", () => {
  it("the README shows the example workflow file exactly", () => {
    const readme = read("README.md");
    const block = /<!-- example-workflow:start -->\n```yaml\n([\s\S]*?)```\n<!-- example-workflow:end -->/.exec(readme);
    expect(block?.[1]).toBe(read("examples/workflows/sam-fitness.yml"));
  });

  it("the README's quick start is what npm start runs", () => {
    const pkg = JSON.parse(read("package.json")) as { version: string; scripts: Record<string, string> };
    expect(read("README.md")).toContain(`\`npm start\` runs \`${pkg.scripts["start"]}\``);
    expect(pkg.version).toBe(VERSION);
  });

  it("the rule table in docs/fitness-model.md lists every built-in rule with its weight and Config identifier", () => {
    const doc = read("docs/fitness-model.md");
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \| (\d+(?:\.\d+)?) \| (?:`([A-Z0-9_]+)`|—) \|/gm)].map((m) => [m[1], { category: m[2], weight: Number(m[3]), config: m[4] ?? null }]),
    );
    expect([...rows.keys()].sort()).toEqual(BUILTIN_RULES.map((r) => r.id).sort());
    for (const rule of BUILTIN_RULES) {
      expect(rows.get(rule.id), rule.id).toEqual({ category: rule.category, weight: rule.weight, config: rule.configRuleIdentifier ?? null });
    }
  });
});
