import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

describe("loadConfig({ allowCodeRules: false })", () => {
  it("never imports code rules, whatever the config file says", async () => {
    const root = mkdtempSync(join(tmpdir(), "sam-fitness-config-"));
    mkdirSync(join(root, ".github"));
    mkdirSync(join(root, "rules"));
    const marker = `__samFitnessImported_${Date.now()}`;
    writeFileSync(
      join(root, "rules/evil.mjs"),
      `globalThis.${marker} = true;\nexport default { id: "evil", title: "Evil", category: "security", weight: 1, appliesTo: [], docs: "", evaluate: () => [] };\n`,
    );
    writeFileSync(join(root, ".github/sam-fitness.yml"), "allow-code-rules: true\ncode-rules: [rules/evil.mjs]\n");

    const refused = await loadConfig(null, root, { allowCodeRules: false });
    expect(refused.loadedRules).toEqual([]);
    expect(refused.warnings.join("\n")).toMatch(/code-rules not loaded/);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();

    const allowed = await loadConfig(null, root);
    expect(allowed.loadedRules.map((r) => r.id)).toEqual(["evil"]);
    expect((globalThis as Record<string, unknown>)[marker]).toBe(true);
  });
});
