import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUILTIN_RULES } from "../../rules/index.js";
import { configRuleUrl, ruleDocs } from "../../src/app/rule-docs.js";

const dir = fileURLToPath(new URL("../../docs/rules/", import.meta.url));
const expected = ruleDocs(BUILTIN_RULES);

describe("docs/rules: one generated page per built-in rule", () => {
  it.each([...expected.keys()])("%s is current (run `npm run docs` after changing a rule)", (name) => {
    const path = join(dir, name);
    expect(existsSync(path), `docs/rules/${name} is missing: run npm run docs`).toBe(true);
    expect(readFileSync(path, "utf8"), `docs/rules/${name} is stale: run npm run docs`).toBe(expected.get(name));
  });

  it("holds no page for a rule that does not exist", () => {
    expect(readdirSync(dir).filter((n) => n.endsWith(".md") && !expected.has(n))).toEqual([]);
  });

  it("every page says what the rule checks and links the AWS Config rule's own page", () => {
    for (const rule of BUILTIN_RULES) {
      const page = expected.get(`${rule.id}.md`) as string;
      expect(page).toContain(rule.docs.trim());
      if (rule.configRuleIdentifier) expect(page).toContain(configRuleUrl(rule.configRuleIdentifier));
    }
    expect(configRuleUrl("S3_BUCKET_VERSIONING_ENABLED")).toBe("https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-versioning-enabled.html");
  });
});
