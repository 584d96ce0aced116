import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, renderPreview } from "../../scripts/preview-browser.js";
import { markdownToHtml } from "../../scripts/preview-html.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { graphOfText } from "./helpers/corpus.js";
import { hostileTemplate } from "./helpers/hostile.js";
import { fitness, outcome, report, result, seedFixReport, templateCheck } from "./helpers/reports.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("markdownToHtml (preview)", () => {
  it("turns the report's markdown into headings, tables, details and mermaid blocks", () => {
    const html = markdownToHtml(renderMarkdown(seedFixReport(), { baseLabel: "main" }));
    expect(html).toMatch(/^<!-- sam-fitness-report -->\n<h3>Fitness [\d.]+ \(▲ \+[\d.]+\) vs main<\/h3>/);
    expect(html).toContain("<th style=\"text-align:left\">Rule</th>");
    expect(html).toContain("<td style=\"text-align:center\">50% → 100%</td>");
    expect(html).toMatch(/<details>\n<summary>Pre-existing findings \(\d+\)<\/summary>/);
    // Mermaid source is HTML-escaped inside the <pre>, so the page reads it back unchanged.
    expect(html).toMatch(/<pre class="mermaid">flowchart LR\n {2}n_encryptedBucket\[\/&quot;encryptedBucket&lt;br\/&gt;bucket&quot;\/\]/);
    expect(html).toContain("<li><strong>+3.7</strong>");
  });

  it("renders links, code spans and notes", () => {
    const html = markdownToHtml("- see [a.yaml:3](https://x.test/a#L3) and `code`\n\n> [!NOTE]\n> left out: diagrams");
    expect(html).toContain('<li>see <a href="https://x.test/a#L3">a.yaml:3</a> and <code>code</code></li>');
    expect(html).toContain('<blockquote class="note"><p class="note-title">Note</p><p>left out: diagrams</p></blockquote>');
  });
});

const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
const REQUIRED = process.env["REQUIRE_CHROMIUM"] === "1";
if (!HAS_CHROMIUM && !REQUIRED) console.warn(`skipping the headless Chromium render tests: ${CHROMIUM_PATH} is missing (bash scripts/ensure-chromium.sh installs it)`);

it.runIf(!HAS_CHROMIUM && REQUIRED)("Chromium is installed (REQUIRE_CHROMIUM=1)", () => {
  expect.fail(`${CHROMIUM_PATH} is missing and REQUIRE_CHROMIUM=1 is set: bash scripts/ensure-chromium.sh installs it`);
});

describe.skipIf(!HAS_CHROMIUM)("renderPreview in headless Chromium", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sam-fitness-preview-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("draws the seed report's diagram and writes a PNG", async () => {
    const out = path.join(dir, "seed.png");
    const drawn = await renderPreview(renderMarkdown(seedFixReport(), { baseLabel: "main" }), out);
    expect(drawn).toEqual({ diagrams: 1, errors: [], scripts: 0, dialogs: 0 });
    expect(readFileSync(out).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  }, 60_000);

  it("draws a hostile template's report without errors, scripts or dialogs", async () => {
    const evil = "</details><script>alert(1)</script> @org/team `x` | y";
    const check = templateCheck("evil.yaml", fitness(10, [outcome("r", [result(evil, "fail", 2, evil, evil)])]), null, { head: graphOfText(hostileTemplate()) });
    const out = path.join(dir, "hostile.png");
    const drawn = await renderPreview(renderMarkdown(report([check])), out);
    expect(drawn).toEqual({ diagrams: 1, errors: [], scripts: 0, dialogs: 0 });
  }, 60_000);
});
