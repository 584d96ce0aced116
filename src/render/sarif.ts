/**
 * SARIF 2.1.0 for code scanning: one result per failing (rule, resource) in
 * the head templates, located at the file and line of the finding, with the
 * rule's metadata in `tool.driver.rules`.
 */
import type { CheckReport } from "../fitness/types.js";
import { analyseTemplate } from "./analysis.js";
import { oneLine } from "./escape.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifRuleInfo {
  id: string;
  title: string;
  docs: string;
  category: string;
  weight: number;
  configRuleIdentifier?: string;
}

/** A repository-relative path as a URI reference: forward slashes, each segment percent-encoded. */
function toUri(file: string): string {
  const path = String(file).replace(/\\/g, "/").replace(/^\.\//, "");
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function ruleDescriptor(rule: SarifRuleInfo): Record<string, unknown> {
  const properties: Record<string, unknown> = { category: rule.category, weight: rule.weight, tags: [rule.category] };
  if (rule.configRuleIdentifier) properties.configRuleIdentifier = rule.configRuleIdentifier;
  const title = oneLine(rule.title, 200);
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: title },
    fullDescription: { text: oneLine(rule.docs, 1000) || title },
    help: { text: rule.docs || title, markdown: rule.docs || title },
    defaultConfiguration: { level: "warning" },
    properties,
  };
}

export function renderSarif(report: CheckReport, rules: readonly SarifRuleInfo[]): object {
  const descriptors: Record<string, unknown>[] = [];
  const index = new Map<string, number>();
  const addRule = (info: SarifRuleInfo): number => {
    const known = index.get(info.id);
    if (known !== undefined) return known;
    index.set(info.id, descriptors.length);
    descriptors.push(ruleDescriptor(info));
    return descriptors.length - 1;
  };
  for (const rule of rules) if (rule && typeof rule.id === "string") addRule(rule);

  const results: Record<string, unknown>[] = [];
  for (const t of report.templates) {
    if (!t.fitness) continue;
    const analysis = analyseTemplate(t);
    const isNew = new Set(analysis.newFindings);
    for (const f of [...analysis.newFindings, ...analysis.existingFindings]) {
      const outcome = t.fitness.rules.find((r) => r.id === f.rule);
      // A rule known only from the results (a custom rule not passed in) still gets a descriptor.
      const ruleIndex = index.has(f.rule)
        ? (index.get(f.rule) as number)
        : addRule({ id: f.rule, title: f.title, docs: f.title, category: outcome?.category ?? "operations", weight: outcome?.weight ?? 0 });
      const message = oneLine(`${f.resource}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ""}`, 1000);
      results.push({
        ruleId: f.rule,
        ruleIndex,
        level: "warning",
        message: { text: message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: toUri(t.file) },
              region: { startLine: Math.max(1, Math.trunc(f.line) || 1) },
            },
            logicalLocations: [{ name: f.resource, kind: "resource" }],
          },
        ],
        partialFingerprints: { "samFitness/v1": `${f.rule}:${f.resource}` },
        properties: { score: f.score, newInThisChange: t.base ? isNew.has(f) : null },
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sam-fitness",
            version: report.toolVersion,
            rules: descriptors,
          },
        },
        results,
      },
    ],
  };
}
