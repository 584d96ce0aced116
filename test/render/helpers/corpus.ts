/** Paths into the shared test corpus, and small builders for checks in tests. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildGraph } from "../../../src/graph/index.js";
import type { EventGraph } from "../../../src/graph/types.js";
import { parseTemplate } from "../../../src/template/index.js";

/**
 * The corpus folder, relative to this file. Under the jsdom environment
 * `import.meta.url` is served as `http://localhost/@fs/<path>`, so the path is
 * taken from the URL's pathname rather than through fileURLToPath.
 */
const HERE = path.dirname(decodeURIComponent(new URL(import.meta.url).pathname).replace(/^\/@fs/, ""));
export const CORPUS = path.resolve(HERE, "../../../../shared/corpus") + path.sep;

export function corpusPath(relative: string): string {
  return CORPUS + relative;
}

export function corpusFiles(folder: string, extensions: readonly string[]): string[] {
  return readdirSync(CORPUS + folder)
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => `${folder}/${f}`);
}

export function readCorpus(relative: string): string {
  return readFileSync(CORPUS + relative, "utf8");
}

/** The event graph of a corpus template, or null when the template does not parse. */
export function graphOf(relative: string): EventGraph | null {
  const parsed = parseTemplate(readCorpus(relative), relative);
  return parsed.ok ? buildGraph(parsed.template) : null;
}

export function graphOfText(text: string, file = "template.yaml"): EventGraph | null {
  const parsed = parseTemplate(text, file);
  return parsed.ok ? buildGraph(parsed.template) : null;
}
