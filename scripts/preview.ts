/**
 * Preview a report as GitHub would show it, as a PNG.
 *
 *   npx tsx scripts/preview.ts <report.md | template> [out.png] [--base <base template>] [--base-label main]
 *
 * Given a markdown file, renders it as is. Given a template, runs the check
 * on it (against `--base` when given, with the default config) and renders
 * the markdown report. Mermaid draws the diagrams in the page; the PNG goes
 * to `out.png` (default: preview.png).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { checkTemplates } from "../src/app/check.js";
import { defaultConfig } from "../src/config/index.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { VERSION } from "../src/version.js";
import { ChromiumMissingError, renderPreview } from "./preview-browser.js";

interface Args {
  input: string;
  out: string;
  base: string | null;
  baseLabel: string;
}

function parseArgs(argv: string[]): Args | string {
  const positional: string[] = [];
  let base: string | null = null;
  let baseLabel = "base";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--base") base = argv[++i] ?? null;
    else if (arg === "--base-label") baseLabel = argv[++i] ?? baseLabel;
    else if (arg.startsWith("--")) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  const [input, out = "preview.png"] = positional;
  if (!input) return "usage: npx tsx scripts/preview.ts <report.md | template> [out.png] [--base <template>] [--base-label <name>]";
  return { input, out, base, baseLabel };
}

function reportMarkdown(args: Args): string {
  const text = readFileSync(args.input, "utf8");
  if (/\.(md|markdown)$/i.test(args.input)) return text;
  const file = path.basename(args.input);
  const base = args.base === null ? undefined : readFileSync(args.base, "utf8");
  const report = checkTemplates([{ file, head: text, base }], defaultConfig(), { toolVersion: VERSION, configPath: null });
  return renderMarkdown(report, { baseLabel: args.baseLabel });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  try {
    const result = await renderPreview(reportMarkdown(args), args.out);
    console.log(`wrote ${args.out} (${result.diagrams} diagram${result.diagrams === 1 ? "" : "s"} drawn)`);
    for (const error of result.errors) console.error(`diagram failed to render: ${error}`);
    return result.errors.length ? 1 : 0;
  } catch (error) {
    if (error instanceof ChromiumMissingError) {
      console.error(error.message);
      return 3;
    }
    throw error;
  }
}

process.exitCode = await main();
