/**
 * Parsing Mermaid text with Mermaid's own parser (in vitest's jsdom environment), and reading back
 * what an xychart holds (categories, series), so tests check what would be
 * drawn, not only that the text is accepted.
 */
import mermaid from "mermaid";

let initialised = false;

function api(): typeof mermaid {
  if (!("document" in globalThis)) throw new Error("parseXyChart needs a DOM: add `// @vitest-environment jsdom` to the test file");
  if (!initialised) mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  initialised = true;
  return mermaid;
}

export interface XyChart {
  title: string;
  categories: string[];
  yAxis: { min: number; max: number };
  plots: Array<{ type: "line" | "bar"; values: number[]; colour: string }>;
}

interface XyChartData {
  title?: string;
  xAxis: { type: string; categories?: string[] };
  yAxis: { type: string; min?: number; max?: number };
  plots: Array<{ type: "line" | "bar"; data: Array<[string, number]>; strokeFill?: string; fill?: string }>;
}

/** Parses an xychart with Mermaid (throws on a syntax error) and returns its data. */
export async function parseXyChart(text: string): Promise<XyChart> {
  const parser = api();
  await parser.parse(text);
  const diagram = await parser.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as { getXYChartData(): XyChartData; getDiagramTitle(): string };
  const data = db.getXYChartData();
  return {
    title: db.getDiagramTitle(),
    categories: data.xAxis.categories ?? [],
    yAxis: { min: data.yAxis.min ?? Number.NaN, max: data.yAxis.max ?? Number.NaN },
    plots: data.plots.map((plot) => ({
      type: plot.type,
      values: plot.data.map((point) => point[1]),
      colour: plot.strokeFill ?? plot.fill ?? "",
    })),
  };
}

/** The text of each ```mermaid block in a markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return Array.from(markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm), (match) => match[1] ?? "");
}
