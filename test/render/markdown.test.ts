// @vitest-environment jsdom
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../src/fitness/types.js";
import { escapeMarkdown } from "../../src/render/escape.js";
import { formatGain } from "../../src/render/format.js";
import { GITHUB_COMMENT_MAX_CHARS, REPORT_MARKER, renderMarkdown } from "../../src/render/markdown.js";
import { corpusFiles, corpusPath, graphOfText, readCorpus } from "./helpers/corpus.js";
import { EVIL_ID, hostileTemplate } from "./helpers/hostile.js";
import { parseDiagram, parseMermaid } from "./helpers/mermaid-parser.js";
import { fitness, outcome, report, result, runCheck, seedFixReport, templateCheck } from "./helpers/reports.js";

const link = (file: string, line: number): string => `https://github.com/acme/app/blob/0123abc/${file}#L${line}`;

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

/** The markdown outside mermaid blocks. */
function prose(markdown: string): string {
  return markdown.replace(/```mermaid\n[\s\S]*?```/g, "");
}

function sectionOrder(markdown: string, headings: string[]): number[] {
  return headings.map((h) => markdown.indexOf(h));
}

describe("renderMarkdown: the seed template with its bucket encrypted", () => {
  const seed = seedFixReport();
  const md = renderMarkdown(seed, { link, baseLabel: "main" });
  const t = seed.templates[0]!;

  it("opens with the marker and the colour-neutral headline", () => {
    expect(md.split("\n")[0]).toBe(REPORT_MARKER);
    const delta = t.delta!.score;
    expect(delta).toBeGreaterThan(0);
    expect(md.split("\n")[1]).toBe(`### Fitness ${t.fitness!.score.toFixed(1)} (▲ +${delta.toFixed(1)}) vs main`);
    expect(md).toMatch(/\*\*Gate: passed\*\* \(minimum score 40\.0, maximum decrease 2\.0\)/);
  });

  it("explains the move with the rule, the resource and a link to the line", () => {
    const why = md.slice(md.indexOf("#### Why it moved"), md.indexOf("#### Rules"));
    const contribution = t.delta!.byRule["s3-bucket-server-side-encryption-enabled"]!;
    expect(why).toContain(`**+${contribution.toFixed(1)}** <code>s3-bucket-server-side-encryption-enabled</code>`);
    expect(why).toMatch(/fixed on \*\*unencryptedBucket\*\* \(\[template\.yaml:\d+\]\(https:\/\/github\.com\/acme\/app\/blob\/0123abc\/template\.yaml#L\d+\)\)/);
  });

  it("tables rules with pass rate base → head and the fixed finding", () => {
    expect(md).toContain("| Rule | Weight | Pass rate (main → head) | New | Fixed |");
    expect(md).toMatch(/\| <code>s3-bucket-server-side-encryption-enabled<\/code> [^|]+ \| \d+ \| 50% → 100% \| {2}\| 1 \|/);
  });

  it("puts new findings first and pre-existing ones in <details>, then suggestions with their exact gain, then the diagram", () => {
    expect(md).toContain("None: this change introduces no failing result.");
    const order = sectionOrder(md, ["#### New findings", "#### Fixed (1)", "<summary>Pre-existing findings", "#### Top suggestions", "```mermaid"]);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const best = [...t.fitness!.suggestions].sort((a, b) => b.gain - a.gain)[0]!;
    expect(md).toContain(`- **+${best.gain.toFixed(2)}** fix <code>${best.rule}</code> on **${best.resource}**`);
  });

  it("ends with the tool version and config", () => {
    expect(md.trimEnd().split("\n").at(-1)).toBe("<sub>sam-fitness 0.1.0 · config .github/sam-fitness.yml</sub>");
  });

  it("embeds a diagram that parses and marks the fixed bucket as changed", async () => {
    const [diagram] = mermaidBlocks(md);
    const parsed = await parseDiagram(diagram!);
    expect(parsed.vertices.find((v) => v.id === "n_unencryptedBucket")?.text).toBe("unencryptedBucket<br>bucket, changed");
  });
});

describe("renderMarkdown: layout rules on hand-built reports", () => {
  it("orders contributions by size, complexity included, with plain file:line without a link function", () => {
    const head = fitness(80, [outcome("small", [result("A", "fail", 3, "bad")]), outcome("big", [result("B", "pass", 7)])]);
    const base = fitness(70, [outcome("small", [result("A", "pass", 3)]), outcome("big", [result("B", "fail", 7, "worse")])]);
    const check = templateCheck("t.yaml", head, base);
    check.delta = { score: 10, byRule: { small: -1.25, big: 12 }, complexity: -0.75 };
    const md = renderMarkdown(report([check]));
    const lines = md.split("\n").filter((l) => /^- \*\*[+−]/.test(l));
    expect(lines[0]).toMatch(/^- \*\*\+12\.0\*\* <code>big<\/code> .*: fixed on \*\*B\*\* \(t\.yaml:7\)$/);
    expect(lines[1]).toMatch(/^- \*\*−1\.3\*\* <code>small<\/code> .*: new finding on \*\*A\*\* \(t\.yaml:3\)$/);
    expect(lines[2]).toMatch(/^- \*\*−0\.8\*\* complexity term: complexity 4\.0 → 4\.0; penalty 0\.4 → 0\.4$/);
    expect(md).toContain("### Fitness 80.0 (▲ +10.0) vs base");
    expect(md).toMatch(/#### New findings \(1\)\n\n- <code>small<\/code> \*\*A\*\* \(t\.yaml:3\): bad/);
  });

  it("says when a template has no base, is new, deleted or cannot be analysed", () => {
    const noBase = templateCheck("a.yaml", fitness(50, [outcome("r", [result("X", "fail", 2, "m")])]), null);
    expect(renderMarkdown(report([noBase]))).toMatch(/### Fitness 50\.0\n[\s\S]*#### Findings \(1\)/);
    const deleted = { ...templateCheck("d.yaml", null, fitness(61, [])), change: "deleted" as const, delta: null };
    expect(renderMarkdown(report([deleted]), { baseLabel: "main" })).toContain("### Template deleted (was 61.0 on main)");
    const broken = { ...templateCheck("b.yaml", null, null), ok: false, error: { severity: "error" as const, message: "bad indentation", line: 4, column: 2 } };
    const md = renderMarkdown(report([broken]));
    expect(md).toContain("### Fitness not computed: the template could not be analysed");
    expect(md).toContain("- **Error** at line 4: bad indentation");
  });

  it("inserts the trend block right after the headline", () => {
    const md = renderMarkdown(report([templateCheck("a.yaml", fitness(50, []), fitness(40, []))]), { trend: "**Trend:** 40.0 → 50.0" });
    const lines = md.split("\n");
    expect(lines.indexOf("**Trend:** 40.0 → 50.0")).toBeGreaterThan(lines.findIndex((l) => l.startsWith("### Fitness")));
    expect(lines.indexOf("**Trend:** 40.0 → 50.0")).toBeLessThan(lines.findIndex((l) => l.startsWith("#### ")));
  });

  it("gives several templates a combined headline, a summary table and one section each", () => {
    const a = templateCheck("a.yaml", fitness(70, []), fitness(60, []));
    const b = templateCheck("b.yaml", fitness(55, []), fitness(58, []));
    b.gate = { passed: false, threshold: 60, maxDecrease: null, failures: ["Fitness 55.0 is below the threshold 60.0"] };
    const md = renderMarkdown(report([a, b]), { baseLabel: "main" });
    expect(md).toContain("### Fitness of 2 templates, 1 up, 1 down vs main, lowest 55.0");
    expect(md).toContain("| a.yaml | 70.0 | ▲ +10.0 | passed |");
    expect(md).toContain("| b.yaml | 55.0 | ▼ −3.0 | **failed** |");
    expect(md).toContain("### a.yaml\n\n**Fitness 70.0 (▲ +10.0) vs main**");
    expect(md).toContain("### b.yaml\n\n**Fitness 55.0 (▼ −3.0) vs main**\n\n**Gate: failed** (minimum score 60.0): Fitness 55.0 is below the threshold 60.0");
  });
});

describe("renderMarkdown: size", () => {
  const largest = (folder: string, ext: string[], n: number): string[] =>
    corpusFiles(folder, ext)
      .map((f) => ({ f, size: statSync(corpusPath(f)).size }))
      .sort((a, b) => b.size - a.size)
      .slice(0, n)
      .map((x) => x.f);

  it("fits the largest corpus templates in one comment, diagrams parsing", async () => {
    for (const file of [...largest("serverless-patterns", [".yaml", ".yml", ".json"], 3), ...largest("sam-translator/output", [".json"], 2)]) {
      const text = readCorpus(file);
      const md = renderMarkdown(runCheck([{ file, head: text, base: text }]), { link });
      expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
      for (const block of mermaidBlocks(md)) await parseMermaid(block);
    }
  });

  it("fits 20 templates in one comment, dropping detail in the documented order with a note", () => {
    const files = largest("serverless-patterns", [".yaml", ".yml"], 20);
    const rep = runCheck(files.map((file) => ({ file, head: readCorpus(file), base: undefined })));
    const md = renderMarkdown(rep, { link });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(md).toContain("### Fitness of 20 templates");
    for (const f of files) expect(md).toContain(`| ${escapeMarkdown(f)} |`);
    expect(md).toContain("> The full report is longer than a GitHub comment allows; left out:");
    // Not a bare table: as many templates as fit keep their findings, and the room is used.
    const sections = files.filter((f) => md.includes(`### ${escapeMarkdown(f, 200)}`));
    expect(sections.length).toBeGreaterThan(0);
    if (sections.length < files.length) {
      expect(md).toMatch(new RegExp(`the details of ${files.length - sections.length} templates? \\(in the table above`));
      expect(md.length).toBeGreaterThan(GITHUB_COMMENT_MAX_CHARS / 2);
    }
  });

  it("drops the trend's charts with the diagrams, and the trend last, saying so", () => {
    const text = readCorpus("seed/evolutionary-template.yaml");
    const rep = runCheck([{ file: "template.yaml", head: text, base: text }]);
    const trend = "**Fitness trend** for `template.yaml`\n\n```mermaid\nxychart-beta\n    line [1, 2]\n```\n\nThe only recorded score: **2**.\nThis PR would score **3**, +1 against the last recorded score. In the chart, the red line leads to it and the blue line stays at the last recorded score.";
    const full = renderMarkdown(rep, { trend });
    expect(full).toContain("xychart-beta");
    const withoutExisting = renderMarkdown(rep, { trend, maxChars: full.length - 1 });
    expect(withoutExisting).toContain("xychart-beta");
    const noDiagrams = renderMarkdown(rep, { trend, maxChars: withoutExisting.length - 1 });
    expect(noDiagrams).not.toContain("```mermaid");
    expect(noDiagrams).toContain("The only recorded score: **2**.");
    expect(noDiagrams).toContain("+1 against the last recorded score.");
    expect(noDiagrams).not.toContain("In the chart");
    expect(noDiagrams).toMatch(/left out: .*diagrams and trend charts/);
  });

  it("keeps the details of the templates whose gate failed first when not all fit", () => {
    const files = largest("serverless-patterns", [".yaml", ".yml"], 20);
    const rep = runCheck(files.map((file) => ({ file, head: readCorpus(file), base: undefined })));
    const last = rep.templates[rep.templates.length - 1]!;
    last.gate = { ...last.gate, passed: false, failures: ["below the threshold"] };
    const md = renderMarkdown(rep, { link, maxChars: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain(`### ${escapeMarkdown(last.file, 200)}`);
  });

  it("drops pre-existing findings before diagrams, and diagrams before anything else", () => {
    const text = readCorpus("seed/evolutionary-template.yaml");
    const rep: CheckReport = runCheck([{ file: "template.yaml", head: text, base: text }]);
    const full = renderMarkdown(rep);
    expect(full).toContain("<summary>Pre-existing findings");
    const withoutExisting = renderMarkdown(rep, { maxChars: full.length - 1 });
    expect(withoutExisting).not.toContain("<summary>Pre-existing findings");
    expect(withoutExisting).toMatch(/_\d+ pre-existing findings not shown/);
    expect(withoutExisting).toContain("```mermaid");
    expect(withoutExisting).toContain("left out: pre-existing findings.");
    const withoutDiagram = renderMarkdown(rep, { maxChars: withoutExisting.length - 1 });
    expect(withoutDiagram).not.toContain("```mermaid");
    expect(withoutDiagram).toContain("left out: pre-existing findings, diagrams.");
    for (const max of [4000, 1500, 600, 200]) expect(renderMarkdown(rep, { maxChars: max }).length).toBeLessThanOrEqual(max);
  });

  it("keeps a 500-template report under the limit by cutting the summary table", () => {
    const many = report(Array.from({ length: 500 }, (_, i) => templateCheck(`stacks/service-${i}/template.yaml`, fitness(50, []), fitness(50, []))));
    const md = renderMarkdown(many);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    const small = renderMarkdown(many, { maxChars: 5000 });
    expect(small.length).toBeLessThanOrEqual(5000);
    expect(small).toMatch(/_\d+ more templates not listed/);
  });
});

describe("renderMarkdown: hostile content", () => {
  const EVIL = "</details><script>alert(1)</script> @org/team `code` | pipe | <!-- x --> [link](javascript:alert(1)) **b**";
  const graph = graphOfText(hostileTemplate());
  const head = fitness(20, [outcome(`rule${EVIL}`, [result(EVIL_ID, "fail", 3, EVIL, EVIL)], 2, EVIL)], {
    suggestions: [{ rule: `rule${EVIL}`, resource: EVIL_ID, gain: 3.5, line: 3, fix: EVIL }],
    notes: [EVIL],
  });
  const base = fitness(25, [outcome(`rule${EVIL}`, [result(EVIL_ID, "fail", 3, EVIL), result("Other", "fail", 9, EVIL)], 2, EVIL)]);
  const check = templateCheck(`dir/${EVIL}.yaml`, head, base, { head: graph, base: { nodes: [], edges: [] } });
  check.delta = { score: -5, byRule: { [`rule${EVIL}`]: -5 }, complexity: 0 };
  check.gate = { passed: false, threshold: 30, maxDecrease: null, failures: [EVIL] };
  const evilLink = (): string => `javascript:alert(1)`;
  const single = renderMarkdown(report([check], EVIL), { link: evilLink, baseLabel: EVIL });
  const several = renderMarkdown(report([check, check], EVIL), { link: evilLink, baseLabel: EVIL });

  it("shows the hostile text, escaped, rather than dropping it", () => {
    expect(single).toContain("&#60;/details&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#64;\u200borg/team");
    expect(single).toContain("&#124; pipe &#124;");
    // The link function's javascript: URL was refused: the location is plain text.
    expect(single).toMatch(/\(dir\/&#60;\/details&#62;.*\.yaml:3\)/);
  });

  for (const [name, md] of [["one template", single], ["two templates", several]] as const) {
    it(`${name}: only the report's own HTML tags, balanced <details>`, () => {
      const tags = [...prose(md).matchAll(/<[^>]*>/g)].map((m) => m[0]);
      const allowed = new Set([REPORT_MARKER, "<details>", "</details>", "<summary>", "</summary>", "<code>", "</code>", "<sub>", "</sub>"]);
      expect(tags.filter((t) => !allowed.has(t))).toEqual([]);
      expect(md.split("<details>").length).toBe(md.split("</details>").length);
      expect(md.split(REPORT_MARKER).length).toBe(2);
    });

    it(`${name}: no @-mention, no backtick outside the mermaid fences, no link but safe ones`, () => {
      expect(md).not.toMatch(/@\w/);
      expect(prose(md)).not.toContain("`");
      // The text "javascript:" may appear, but never as a link: no link syntax and no autolink survives.
      expect(md).not.toMatch(/\]\(/);
      expect(md).not.toMatch(/<javascript:/);
    });

    it(`${name}: every table row has exactly its header's cells`, () => {
      const rows = md.split("\n").filter((l) => l.startsWith("|"));
      expect(rows.length).toBeGreaterThan(2);
      let cells = -1;
      for (const row of rows) {
        const count = row.split("|").length;
        if (/^\| (Rule|Template) \|/.test(row)) cells = count;
        expect(count).toBe(cells);
      }
    });

    it(`${name}: the diagram parses with no click, link or directive`, async () => {
      const blocks = mermaidBlocks(md);
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        expect(block).not.toContain("%%");
        const parsed = await parseDiagram(block);
        expect(parsed.clicks + parsed.tooltips).toBe(0);
        expect(parsed.vertices.filter((v) => v.link)).toEqual([]);
      }
    });
  }

  it("a 10,000-resource template still gives a report within the limit whose diagram parses", async () => {
    const { hugeTemplate } = await import("./helpers/hostile.js");
    const text = hugeTemplate(10_000);
    const md = renderMarkdown(runCheck([{ file: "huge.yaml", head: text, base: text }]));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    for (const block of mermaidBlocks(md)) await parseMermaid(block);
  }, 60_000);
});

describe("renderMarkdown: template problems", () => {
  const d = (severity: "error" | "warning", message: string, line: number, column = 3) => ({ severity, message, line, column });

  it("lists diagnostics, errors first, escaped, with linked file:line and the column", () => {
    const check = templateCheck("stacks/app.yaml", fitness(80, []), null);
    check.diagnostics = [d("warning", "duplicate key <img src=x onerror=alert(1)>", 4, 5), d("error", "resource Bad is not a mapping with a Type", 9, 3)];
    const md = renderMarkdown(report([check]), { link });
    const lines = md.split("\n");
    const heading = lines.indexOf("#### Template problems (1 error, 1 warning)");
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 2]).toBe(
      "- **Error** at line 9: resource Bad is not a mapping with a Type (column 3; [stacks/app.yaml:9](https://github.com/acme/app/blob/0123abc/stacks/app.yaml#L9))",
    );
    expect(lines[heading + 3]).toMatch(/^- \*\*Warning\*\* at line 4: duplicate key .* \(column 5; \[stacks\/app\.yaml:4\]\(.*#L4\)\)$/);
    expect(md).not.toContain("<img");
    expect(lines[heading + 3]).toContain(escapeMarkdown("<img src=x onerror=alert(1)>"));
    // Without a link function: plain file:line.
    expect(renderMarkdown(report([check]))).toContain("(column 3; stacks/app.yaml:9)");
  });

  it("an unanalysable template shows its parse error with line and column in the list", () => {
    const broken = { ...templateCheck("b.yaml", null, null), ok: false, error: d("error", "bad indentation of a mapping entry", 4, 7) };
    const md = renderMarkdown(report([broken]), { link });
    expect(md).toContain("#### Template problems (1 error)");
    expect(md).toContain("- **Error** at line 4: bad indentation of a mapping entry (column 7; [b.yaml:4](https://github.com/acme/app/blob/0123abc/b.yaml#L4))");
    expect(md.match(/bad indentation/g)).toHaveLength(1); // once, in the list
  });

  it("caps the list at 10 with a count of the rest", () => {
    const check = templateCheck("t.yaml", fitness(80, []), null);
    check.diagnostics = [
      ...Array.from({ length: 12 }, (_, i) => d("warning", `warning number ${i}`, 100 + i)),
      ...Array.from({ length: 3 }, (_, i) => d("error", `error number ${i}`, 10 + i)),
    ];
    const md = renderMarkdown(report([check]));
    const items = md.split("\n").filter((l) => /^- \*\*(Error|Warning)\*\* at line/.test(l));
    expect(items).toHaveLength(10);
    expect(items.slice(0, 3).every((l) => l.startsWith("- **Error**"))).toBe(true);
    expect(md).toContain("#### Template problems (3 errors, 12 warnings)");
    expect(md).toContain("- … and 5 more (all of them are in <code>sam-fitness check --format json</code>)");
  });

  it("a shortened report drops the warnings with the pre-existing findings, never the errors", () => {
    const text = readCorpus("seed/evolutionary-template.yaml");
    const rep: CheckReport = runCheck([{ file: "template.yaml", head: text, base: text }]);
    const check = rep.templates[0]!;
    check.diagnostics = [d("warning", "a warning that may go", 3), d("error", "an error that must stay", 5)];
    const full = renderMarkdown(rep);
    expect(full).toContain("a warning that may go");
    const first = renderMarkdown(rep, { maxChars: full.length - 1 });
    expect(first).not.toContain("<summary>Pre-existing findings");
    expect(first).not.toContain("a warning that may go");
    expect(first).toContain("_1 template warning not shown: the comment would exceed GitHub's size limit._");
    expect(first).toContain("an error that must stay");
    for (const max of [4000, 1500, 900]) {
      const md = renderMarkdown(rep, { maxChars: max });
      expect(md.length).toBeLessThanOrEqual(max);
      expect(md).toContain("an error that must stay");
    }
  });
});

describe("formatGain", () => {
  it("never shows a real gain as +0.00", () => {
    expect(formatGain(3.7)).toBe("+3.70");
    expect(formatGain(0.004)).toBe("+<0.01");
    expect(formatGain(0.04, 1)).toBe("+<0.1");
    expect(formatGain(0)).toBe("+0.00");
  });
});
