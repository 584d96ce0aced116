/**
 * Renders a report page in headless Chromium (Debian's `chromium`, driven by
 * playwright-core), lets Mermaid draw the diagrams in the page, and saves a
 * full-page PNG.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { previewPage } from "./preview-html.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The few DOM calls made in the page (the project compiles without the DOM library). */
interface PageElement {
  className: string;
  innerHTML: string;
  textContent: string | null;
  replaceWith(node: PageElement): void;
}
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  createElement(tag: string): PageElement;
}
interface PageGlobals {
  document: PageDocument;
  mermaid: { initialize(config: object): void; render(id: string, text: string): Promise<{ svg: string }> };
}

export class ChromiumMissingError extends Error {
  constructor() {
    super(`Chromium was not found at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`);
  }
}

export interface PreviewResult {
  /** Diagrams Mermaid drew as SVG. */
  diagrams: number;
  /** Diagrams Mermaid could not draw, with its message. */
  errors: string[];
  /** Script elements inside the report and dialogs opened: both 0 for a safe report. */
  scripts: number;
  dialogs: number;
}

/** Renders `markdown` as a GitHub-like page, draws its Mermaid blocks, and writes a PNG to `outPng`. */
export async function renderPreview(markdown: string, outPng: string): Promise<PreviewResult> {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError();
  const mermaidScript = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1 });
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    // The page is self-contained: nothing may be fetched from anywhere.
    await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
    await page.setContent(previewPage(markdown), { waitUntil: "load" });
    await page.addScriptTag({ path: mermaidScript });
    const result = await page.evaluate(async () => {
      const { document, mermaid: m } = globalThis as unknown as PageGlobals;
      m.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
      const blocks = Array.from(document.querySelectorAll("pre.mermaid"));
      const errors: string[] = [];
      let diagrams = 0;
      for (const [i, block] of blocks.entries()) {
        try {
          const { svg } = await m.render(`diagram${i}`, block.textContent ?? "");
          const holder = document.createElement("div");
          holder.className = "diagram";
          holder.innerHTML = svg;
          block.replaceWith(holder);
          diagrams++;
        } catch (error) {
          errors.push(String((error as Error)?.message ?? error));
        }
      }
      return { diagrams, errors };
    });
    await page.screenshot({ path: outPng, fullPage: true });
    const scripts = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll(".comment script").length);
    return { ...result, scripts, dialogs };
  } finally {
    await browser.close();
  }
}
