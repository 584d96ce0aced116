import { describe, expect, it } from "vitest";
import { baseConfigFrom, defaultConfig, parseConfig } from "../../src/config/index.js";

describe("baseConfigFrom", () => {
  const head = parseConfig("rules:\n  safe-deployments: { weight: 9 }\n", ".github/sam-fitness.yml");

  it("scores a base without a config file with the defaults", () => {
    const base = baseConfigFrom(null, head, ".github/sam-fitness.yml");
    expect(base.config).toEqual(defaultConfig());
    expect(base.note).toMatch(/new in this change: the base is scored with the default config/);
  });

  it("scores the base with its own config", () => {
    const base = baseConfigFrom("rules:\n  safe-deployments: { weight: 2 }\n", head, ".github/sam-fitness.yml");
    expect(base.config.rules["safe-deployments"]).toMatchObject({ weight: 2 });
    expect(base.note).toMatch(/changes in this change/);
  });

  it("falls back to this change's config when the base's is broken, and says why", () => {
    const base = baseConfigFrom("rules: [", head, ".github/sam-fitness.yml");
    expect(base.config).toBe(head);
    expect(base.note).toMatch(/the base's \.github\/sam-fitness\.yml is not valid \(.*\): the base is scored with this change's config/);
  });
});
