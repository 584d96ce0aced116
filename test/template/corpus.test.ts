import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/template/index.js";
import { INVALID_PATTERNS, corpusFiles, readCorpus } from "../support/corpus.js";

describe("parsing the corpus", () => {
  it("parses every non-error translator input into a template with resources", () => {
    const files = corpusFiles("sam-translator/input", (n) => !n.startsWith("error_"));
    expect(files.length).toBeGreaterThan(400);
    const failures: string[] = [];
    for (const file of files) {
      const result = parseTemplate(readCorpus(file), file);
      if (!result.ok) failures.push(`${file}:${result.error.line}: ${result.error.message}`);
      else if (result.template.resources.size === 0) failures.push(`${file}: no resources`);
    }
    expect(failures).toEqual([]);
  });

  it("never throws on the translator's error inputs", () => {
    const files = corpusFiles("sam-translator/input", (n) => n.startsWith("error_"));
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const result = parseTemplate(readCorpus(file), file);
      if (!result.ok) {
        expect(result.error.line).toBeGreaterThanOrEqual(1);
        expect(result.error.message.length).toBeGreaterThan(10);
      }
    }
  });

  it("parses every translated output (JSON) with the same resources as JSON.parse", () => {
    const files = corpusFiles("sam-translator/output", (n) => !n.startsWith("error_"));
    expect(files.length).toBeGreaterThan(400);
    for (const file of files) {
      const text = readCorpus(file);
      const result = parseTemplate(text, file);
      expect(result.ok, file).toBe(true);
      if (!result.ok) continue;
      expect(result.template.format).toBe("json");
      const plain = JSON.parse(text) as { Resources: Record<string, { Type: string }> };
      const types = Object.fromEntries(
        Object.entries(plain.Resources)
          .filter(([, r]) => typeof r.Type === "string")
          .map(([id, r]) => [id, r.Type]),
      );
      expect(Object.fromEntries([...result.template.resources.values()].map((r) => [r.id, r.type])), file).toEqual(types);
    }
  });

  it("parses every valid serverless pattern and reports the two invalid ones with a line", () => {
    const files = corpusFiles("serverless-patterns");
    expect(files.length).toBeGreaterThan(350);
    const failed: Record<string, number> = {};
    for (const file of files) {
      const result = parseTemplate(readCorpus(file), file);
      if (!result.ok) failed[file] = result.error.line;
    }
    expect(Object.keys(failed).sort()).toEqual([...INVALID_PATTERNS].sort());
    expect(failed["serverless-patterns/apigw-custom-domain-edge__template.yaml"]).toBe(34);
    expect(failed["serverless-patterns/rds-sns-event-notification__template.yaml"]).toBe(3);
  });

  it("accepts under-indented flow collections with a warning and the original columns", () => {
    const file = "serverless-patterns/apigw-ses-transformation__template.yaml";
    const result = parseTemplate(readCorpus(file), file);
    if (!result.ok) throw new Error(result.error.message);
    const schema = result.template.resources.get("RequestModel")?.properties["Schema"] as Record<string, unknown>;
    expect(schema["title"]).toBe("Stats");
    expect(result.template.diagnostics.some((d) => d.message.includes("indented less than its key"))).toBe(true);
  });
});
