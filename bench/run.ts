/**
 * Benchmarks: prints figures, asserts nothing. Run with `npm run bench`.
 *
 * (a) read + YAML parse alone, (b) parse + event graph, (c) parse + graph +
 * fitness scoring, each as the median over all corpus templates of the best
 * of a few repetitions; then synthetic templates of 100, 1,000 and 10,000
 * resources to show how time grows with size.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { buildGraph } from "../src/graph/build.js";
import { parseTemplate } from "../src/template/parse.js";
import { synthetic } from "./synthetic.js";
import { scoreTemplate } from "./score.js";

const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const FOLDERS = ["sam-translator/input", "sam-translator/output", "serverless-patterns", "seed"];
const REPEAT = 5;
/** The YAML library with the options the parser uses (uniqueKeys off: its check is quadratic in a map's size). */
const YAML_OPTIONS = { uniqueKeys: false, strict: false } as const;

function best(fn: () => void, repeat = REPEAT): number {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const files: string[] = [];
for (const folder of FOLDERS) {
  for (const name of readdirSync(CORPUS + folder).sort()) files.push(`${CORPUS}${folder}/${name}`);
}

const parseTimes: number[] = [];
const graphTimes: number[] = [];
const scoreTimes: number[] = [];
let totalParse = 0;
let totalGraph = 0;
let totalScore = 0;
let templates = 0;
for (const file of files) {
  const probe = parseTemplate(readFileSync(file, "utf8"), file);
  if (!probe.ok) continue;
  templates++;
  const yamlOnly = best(() => {
    parseAllDocuments(readFileSync(file, "utf8"), YAML_OPTIONS);
  });
  const withGraph = best(() => {
    const parsed = parseTemplate(readFileSync(file, "utf8"), file);
    if (parsed.ok) buildGraph(parsed.template);
  });
  const withScore = best(() => {
    scoreTemplate(file, readFileSync(file, "utf8"));
  });
  parseTimes.push(yamlOnly);
  graphTimes.push(withGraph);
  scoreTimes.push(withScore);
  totalParse += yamlOnly;
  totalGraph += withGraph;
  totalScore += withScore;
}

const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;
const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)}%`;
console.log(`corpus: ${templates} templates`);
console.log(`  (a) read + YAML parse        median ${fmt(median(parseTimes))}  total ${fmt(totalParse)}`);
console.log(`  (b) parse + graph            median ${fmt(median(graphTimes))}  total ${fmt(totalGraph)}`);
console.log(`  (c) parse + graph + fitness  median ${fmt(median(scoreTimes))}  total ${fmt(totalScore)}`);
console.log(`  ratio b/a ${(totalGraph / totalParse).toFixed(3)} (graph + template model add ${pct(totalGraph, totalParse)} to YAML parsing)`);
console.log(`  ratio c/a ${(totalScore / totalParse).toFixed(3)}; scoring adds ${pct(totalScore, totalGraph)} to parse + graph`);

console.log("synthetic templates (best of 3):");
let previous: { n: number; ms: number } | undefined;
for (const n of [100, 1_000, 10_000]) {
  const text = synthetic(n);
  const yamlOnly = best(() => void parseAllDocuments(text, YAML_OPTIONS), 3);
  const ms = best(() => {
    const parsed = parseTemplate(text, "synthetic.yaml");
    if (parsed.ok) buildGraph(parsed.template);
  }, 3);
  const scored = best(() => void scoreTemplate("synthetic.yaml", text), 3);
  const growth = previous ? `  x${(ms / previous.ms).toFixed(1)} for x${n / previous.n} resources` : "";
  console.log(`  ${String(n).padStart(6)} resources: YAML ${fmt(yamlOnly)}, parse + graph ${fmt(ms)}, + fitness ${fmt(scored)}${growth}`);
  previous = { n, ms };
}

// Aliases: each must resolve in about constant time (a template reusing an anchor thousands of times).
{
  const lines = ["Resources:", "  Base:", "    Type: AWS::SQS::Queue", "    Properties: &props { VisibilityTimeout: 30 }"];
  for (let i = 0; i < 10_000; i++) lines.push(`  Q${i}:`, "    Type: AWS::SQS::Queue", "    Properties: *props");
  const text = lines.join("\n");
  const ms = best(() => void parseTemplate(text, "aliases.yaml"), 3);
  console.log(`aliases: 10,000 aliases of one anchor parse in ${fmt(ms)}`);
}

// The Action's bundle and its cold start (node dist/index.js with no inputs exits at once).
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
const mainChunk = size(`${dist}action/index.js`);
const chunks = existsSync(`${dist}action`) ? readdirSync(`${dist}action`).filter((f) => f.endsWith(".js")).reduce((n, f) => n + size(`${dist}action/${f}`), 0) : 0;
console.log(`bundle: dist/action/index.js ${(mainChunk / 1024).toFixed(0)} KiB (all chunks ${(chunks / 1024).toFixed(0)} KiB; the AWS SDK chunks load only for the live check and CloudWatch)`);
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, [`${dist}index.js`], { env: { PATH: process.env["PATH"] ?? "", RUNNER_TEMP: tmpdir() }, encoding: "utf8" });
  cold.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(`cold start: node dist/index.js median ${fmt(median(cold))} over 5 runs`);
