import { buildGraph } from "../../src/graph/index.js";
import { parseTemplate } from "../../src/template/index.js";
import type { Finding, Rule, RuleContext } from "../../src/fitness/types.js";
import { readCorpus } from "../support/corpus.js";

/** Parses a template text and builds its rule context; fails the test on a parse error. */
/** The day rules judge on in these tests, fixed so that verdicts do not change as runtimes age. */
export const TEST_DAY = "2026-11-29";

export function contextOf(text: string, file = "template.yaml", date = TEST_DAY): RuleContext {
  const parsed = parseTemplate(text, file);
  if (!parsed.ok) throw new Error(`parse error: ${parsed.error.message} (line ${parsed.error.line})`);
  return { template: parsed.template, graph: buildGraph(parsed.template), date };
}

export function corpusContext(relative: string): RuleContext {
  return contextOf(readCorpus(relative), relative);
}

/** The rule's findings on a template, keyed by resource. */
export function judge(rule: Rule, text: string): Map<string, Finding> {
  return byResource(rule.evaluate(contextOf(text)));
}

export function byResource(findings: Finding[]): Map<string, Finding> {
  return new Map(findings.map((f) => [f.resource, f]));
}

/** Score of one resource's finding; fails when the rule did not judge it. */
export function scoreOf(findings: Map<string, Finding>, resource: string): number {
  const f = findings.get(resource);
  if (!f) throw new Error(`no finding for ${resource}; judged: ${[...findings.keys()].join(", ")}`);
  return f.score;
}

export const SAM = "Transform: AWS::Serverless-2016-10-31\n";
