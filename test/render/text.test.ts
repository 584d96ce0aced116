import { describe, expect, it } from "vitest";
import { renderText } from "../../src/render/text.js";
import { fitness, outcome, report, result, runCheck, seedFixReport, templateCheck } from "./helpers/reports.js";

describe("renderText", () => {
  it("prints the score, delta and gate, then failing findings as file:line: rule-id: message", () => {
    const rep = seedFixReport();
    const t = rep.templates[0]!;
    const lines = renderText(rep).trimEnd().split("\n");
    expect(lines[0]).toBe(`template.yaml: fitness ${t.fitness!.score.toFixed(1)}, +${t.delta!.score.toFixed(1)} vs base, gate passed (minimum 40.0, maximum decrease 2.0)`);
    const failing = t.fitness!.rules.flatMap((r) => r.results.filter((x) => x.status === "fail"));
    const findingLines = lines.filter((l) => /^template\.yaml:\d+: /.test(l));
    expect(findingLines).toHaveLength(failing.length);
    expect(findingLines).toContain("template.yaml:7: s3-bucket-versioning-enabled: versioning is not enabled [encryptedBucket]");
    // Sorted by line.
    const numbers = findingLines.map((l) => Number(l.split(":")[1]));
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    expect(lines.at(-1)).toBe("Overall: gate passed (minimum 40.0, maximum decrease 2.0) (1 template)");
  });

  it("marks findings the change introduced and prints gate failures", () => {
    const head = fitness(40, [outcome("r", [result("A", "fail", 3, "bad"), result("B", "fail", 5, "old")])]);
    const base = fitness(45, [outcome("r", [result("A", "pass", 3), result("B", "fail", 5, "old")])]);
    const check = templateCheck("t.yaml", head, base);
    check.gate = { passed: false, threshold: null, maxDecrease: 1, failures: ["Fitness fell by 5.0, more than 1.0"] };
    const text = renderText(report([check]));
    expect(text).toContain("t.yaml: fitness 40.0, -5.0 vs base, gate FAILED (maximum decrease 1.0)");
    expect(text).toContain("t.yaml:3: r: bad [A] (new)");
    expect(text).toContain("t.yaml:5: r: old [B]\n");
    expect(text).toContain("  gate: Fitness fell by 5.0, more than 1.0");
  });

  it("strips terminal escape sequences and line breaks from template text", () => {
    const check = templateCheck("t.yaml", fitness(0, [outcome("r", [result("A\u001b[2J", "fail", 1, "line\nbreak\u009b31m")])]), null);
    const text = renderText(report([check]));
    expect(text.includes("\u001b") || text.includes("\u009b")).toBe(false);
    expect(text).toContain("t.yaml:1: r: line break31m [A[2J]");
  });

  it("reports unanalysable templates", () => {
    const text = renderText(runCheck([{ file: "broken.yaml", head: "Resources: [", base: undefined }]));
    expect(text).toMatch(/^broken\.yaml: not analysed: line \d+: /);
    expect(text).toMatch(/Overall: gate FAILED/);
  });
});
