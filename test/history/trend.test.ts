// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { renderTrend } from "../../src/history/trend.js";
import { record, series } from "./fixtures.js";
import { mermaidBlocks, parseXyChart } from "./mermaid.js";

describe("renderTrend", () => {
  it("draws the last N scores in date order and the PR head as a distinct projected point", async () => {
    const records = series([40, 55, 52, 61, 70, 68, 75]).reverse();
    const markdown = renderTrend(records, { template: "template.yaml", projected: { score: 72.5, label: "PR #12" }, last: 5 });
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(1);
    const chart = await parseXyChart(blocks[0] ?? "");
    expect(chart.title).toBe("Fitness score: template.yaml");
    expect(chart.categories).toEqual(["0003abc", "0004abc", "0005abc", "0006abc", "0007abc", "PR #12"]);
    // Red runs to the PR's score; blue, drawn over it, is the history and stays level for the PR.
    expect(chart.plots).toEqual([
      { type: "line", values: [52, 61, 70, 68, 75, 72.5], colour: "#cf222e" },
      { type: "line", values: [52, 61, 70, 68, 75, 75], colour: "#0969da" },
    ]);
    expect(chart.yAxis).toEqual({ min: 0, max: 100 });
  });

  it("states best, worst and last in text, and the projected change", () => {
    const markdown = renderTrend(series([40, 55, 52, 61, 70, 68, 75]), { template: "template.yaml", projected: { score: 72.5, label: "PR #12" }, last: 5 });
    expect(markdown).toContain("Over the last 5 recorded scores: best **75** (`0007abc`, 2025-01-07), worst **52** (`0003abc`, 2025-01-03), last **75** (`0007abc`, 2025-01-07).");
    expect(markdown).toContain("This PR (PR \\#12) would score **72.5**, −2.5 against the last recorded score");
  });

  it("widens the axis for scores outside 0..100 and still parses", async () => {
    const markdown = renderTrend(series([-12.345, 3]), { projected: { score: -20, label: "head" } });
    const chart = await parseXyChart(mermaidBlocks(markdown)[0] ?? "");
    expect(chart.yAxis).toEqual({ min: -20, max: 100 });
    expect(chart.plots.map((p) => p.values)).toEqual([[-12.35, 3, -20], [-12.35, 3, 3]]);
  });

  it("keeps hostile text from the history file out of the markup", async () => {
    const evil = 'x"] \n```\n<img src=x onerror=alert(1)> @everyone [link](http://e) `';
    const records = [record(`${evil}1`, 50, { template: evil }), record(`${evil}2`, 60, { template: evil, date: "2025-02-01T00:00:00Z" })];
    const markdown = renderTrend(records, { projected: { score: 61, label: 'PR "7" ```' } });
    // One fenced block, opened and closed by our own fences only.
    expect(markdown.match(/```mermaid/g)).toHaveLength(1);
    expect(markdown.split("\n").filter((line) => line.startsWith("```"))).toEqual(["```mermaid", "```"]);
    // Outside code spans (where markdown shows text as is) no HTML and no live mention remain.
    const prose = markdown.replace(/^```mermaid\n[\s\S]*?^```$/m, "").replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
    expect(markdown).toContain("<img");
    expect(prose).not.toMatch(/<img/);
    expect(prose).not.toMatch(/(^|[^\\])@everyone/);
    expect(mermaidBlocks(markdown)[0]?.replace(" --> ", " ")).not.toMatch(/[<>]/);
    const chart = await parseXyChart(mermaidBlocks(markdown)[0] ?? "");
    expect(chart.categories).toHaveLength(3);
    expect(new Set(chart.categories).size).toBe(3);
    expect(chart.plots.find((p) => p.type === "line")?.values).toEqual([50, 60, 61]);
  });

  it("keeps categories distinct when short SHAs collide", async () => {
    const records = [record("abcdef01", 10), record("abcdef02", 20, { date: "2025-01-02T00:00:00Z" })];
    const chart = await parseXyChart(mermaidBlocks(renderTrend(records, { projected: { score: 30, label: "abcdef0" } }))[0] ?? "");
    expect(chart.categories).toEqual(["abcdef0", "abcdef0 (2)", "abcdef0 (3)"]);
    expect(chart.plots.find((p) => p.type === "line")?.values).toEqual([10, 20, 30]);
  });

  it("draws only usable records when handed malformed ones, and ignores a projected score that is not a number", async () => {
    const malformed = [
      record("good1", 10),
      { ...record("nan", 0), score: Number.NaN },
      { ...record("x", 0), sha: undefined },
      null,
      record("good2", 20, { date: "2025-01-02T00:00:00Z" }),
    ] as never[];
    const markdown = renderTrend(malformed, { template: "template.yaml", projected: { score: Number.NaN, label: "PR" } });
    const chart = await parseXyChart(mermaidBlocks(markdown)[0] ?? "");
    expect(chart.plots.map((p) => p.values)).toEqual([[10, 20]]);
    expect(markdown).not.toContain("This PR");
  });

  it("without history says so, and still gives the PR's score", () => {
    const markdown = renderTrend([], { template: "app/template.yaml", projected: { score: 80, label: "this PR" } });
    expect(mermaidBlocks(markdown)).toEqual([]);
    expect(markdown).toContain("No default-branch history recorded yet for `app/template.yaml`.");
    expect(markdown).toContain("This PR (this PR) would score **80**.");
    expect(renderTrend([])).toBe("No fitness history recorded yet.\n");
  });

  it("without a projected point draws the history alone, in blue", async () => {
    const chart = await parseXyChart(mermaidBlocks(renderTrend(series([1, 2, 3])))[0] ?? "");
    expect(chart.plots).toEqual([{ type: "line", values: [1, 2, 3], colour: "#0969da" }]);
  });

  it("renders one section per template when none is named, and filters by ref", async () => {
    const records = [
      ...series([10, 20], "b.yaml"),
      ...series([30, 40, 50], "a.yaml"),
      record("feature1", 99, { template: "a.yaml", ref: "refs/heads/feature", date: "2025-06-01T00:00:00Z" }),
    ];
    const markdown = renderTrend(records, { ref: "refs/heads/main", projected: { score: 1, label: "ignored" } });
    expect(markdown.indexOf("`a.yaml`")).toBeLessThan(markdown.indexOf("`b.yaml`"));
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(2);
    const charts = await Promise.all(blocks.map(parseXyChart));
    expect(charts.map((c) => c.plots.map((p) => p.values))).toEqual([[[30, 40, 50]], [[10, 20]]]);
    expect(markdown).not.toContain("ignored");
  });

  it("charts at most maxCharts templates and gives each of the others one line", () => {
    const templates = Array.from({ length: 8 }, (_, i) => `t${i}.yaml`);
    const records = templates.flatMap((t, i) => series([50 + i, 60 + i], t));
    const projections = new Map(templates.map((t) => [t, { score: 70, label: "PR #4" }]));
    const markdown = renderTrend(records, { templates, projections });
    expect(mermaidBlocks(markdown)).toHaveLength(5);
    expect(markdown).toContain("**Fitness trend** of 3 more templates (no chart):");
    expect(markdown).toMatch(/- `t7\.yaml`: last \*\*67\*\* \(`0002abc`, 2025-01-02\); this PR \*\*70\*\* \(\+3\)/);
    expect(mermaidBlocks(renderTrend(records, { templates, projections, maxCharts: 1 }))).toHaveLength(1);
  });

  it("projects each of a pull request's templates onto its own history, also one with no history yet", async () => {
    const records = [...series([10, 20], "b.yaml"), ...series([30, 40, 50], "a.yaml"), ...series([60], "untouched.yaml")];
    const projections = new Map([
      ["b.yaml", { score: 25, label: "PR #3" }],
      ["a.yaml", { score: 45, label: "PR #3" }],
      ["new.yaml", { score: 70, label: "PR #3" }],
    ]);
    const markdown = renderTrend(records, { templates: ["b.yaml", "a.yaml", "new.yaml"], projections });
    expect(markdown.indexOf("`b.yaml`")).toBeLessThan(markdown.indexOf("`a.yaml`"));
    expect(markdown).not.toContain("untouched.yaml");
    const charts = await Promise.all(mermaidBlocks(markdown).map(parseXyChart));
    expect(charts.map((c) => c.plots.map((p) => p.values))).toEqual([
      [[10, 20, 25], [10, 20, 20]],
      [[30, 40, 50, 45], [30, 40, 50, 50]],
    ]);
    expect(markdown).toContain("This PR (PR \\#3) would score **25**, +5 against the last recorded score");
    expect(markdown).toContain("This PR (PR \\#3) would score **45**, −5 against the last recorded score");
    expect(markdown).toContain("No default-branch history recorded yet for `new.yaml`.\nThis PR (PR \\#3) would score **70**.");
  });
});
