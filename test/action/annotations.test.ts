import { describe, expect, it } from "vitest";
import { planAnnotations } from "../../src/action/annotations.js";
import { formatNumber, headline } from "../../src/action/scores.js";
import type { CheckReport, Fitness, RuleOutcome, TemplateCheck } from "../../src/fitness/types.js";

function outcome(id: string, results: [resource: string, score: number, line: number][]): RuleOutcome {
  return {
    id,
    title: id,
    category: "security",
    weight: 1,
    configRuleIdentifier: null,
    passRate: null,
    results: results.map(([resource, score, line]) => ({ resource, status: score < 1 ? "fail" : "pass", score, message: `${id} on ${resource}`, line })),
  };
}

function fitness(score: number, rules: RuleOutcome[]): Fitness {
  return { score, quality: score, rules, complexity: { value: 0, penalty: 0, lambda: 0, cap: 0, inputs: {} }, suggestions: [], notes: [] };
}

function check(file: string, head: Fitness | null, base: Fitness | null, extra: Partial<TemplateCheck> = {}): TemplateCheck {
  return {
    file,
    ok: true,
    change: base ? "modified" : "added",
    diagnostics: [],
    fitness: head,
    base,
    delta: null,
    gate: { passed: true, threshold: null, maxDecrease: null, failures: [] },
    graph: null,
    baseGraph: null,
    ...extra,
  };
}

const report = (templates: TemplateCheck[]): CheckReport => ({
  templates,
  gate: { passed: true, threshold: null, maxDecrease: null, failures: [] },
  toolVersion: "0",
  configPath: null,
});

describe("planAnnotations", () => {
  it("annotates only findings that are new or worse than at base", () => {
    const base = fitness(80, [outcome("s3-bucket-versioning-enabled", [["Old", 0, 3], ["Fixed", 0, 9]]), outcome("lambda-dlq-check", [["Fn", 0.5, 20]])]);
    const head = fitness(70, [
      outcome("s3-bucket-versioning-enabled", [["Old", 0, 3], ["Fixed", 1, 9], ["NewBucket", 0, 30]]),
      outcome("lambda-dlq-check", [["Fn", 0, 21]]),
    ]);
    const plan = planAnnotations(report([check("app/template.yaml", head, base)]));
    expect(plan.annotations.map((a) => [a.title, a.file, a.line])).toEqual([
      ["sam-fitness: lambda-dlq-check", "app/template.yaml", 21],
      ["sam-fitness: s3-bucket-versioning-enabled", "app/template.yaml", 30],
    ]);
    expect(plan.annotations[1]?.message).toContain("NewBucket");
    expect(plan.omitted).toBe(0);
  });

  it("caps findings and counts the rest; parse errors always come first", () => {
    const many = fitness(10, [outcome("r", Array.from({ length: 25 }, (_, i) => [`B${i}`, 0, i + 1] as [string, number, number]))]);
    const broken = check("bad/template.yaml", null, null, {
      ok: false,
      error: { severity: "error", message: "bad indentation", line: 7, column: 3 },
    });
    const plan = planAnnotations(report([check("t.yaml", many, null), broken]), 10);
    expect(plan.annotations[0]).toMatchObject({ level: "error", file: "bad/template.yaml", line: 7, column: 3, message: "bad indentation" });
    expect(plan.annotations).toHaveLength(11);
    expect(plan.omitted).toBe(15);
  });

  it("does not annotate a deleted template", () => {
    const deleted = check("gone.yaml", null, fitness(50, []), { change: "deleted", ok: false, error: { severity: "error", message: "x", line: 1, column: 1 } });
    expect(planAnnotations(report([deleted])).annotations).toEqual([]);
  });
});

describe("headline", () => {
  it("averages head and base scores over the templates that have them", () => {
    const numbers = headline(report([check("a", fitness(80, []), fitness(70, [])), check("b", fitness(61, []), null), check("c", null, fitness(40, []))]));
    expect(numbers).toEqual({ score: 70.5, baseScore: 55, delta: 10 });
    expect(formatNumber(numbers.score)).toBe("70.5");
    expect(headline(report([]))).toEqual({ score: null, baseScore: null, delta: null });
    expect(formatNumber(null)).toBe("");
  });
});
