/**
 * SARIF 2.1.0 for code scanning: one result per failing (rule, resource) in
 * the head templates, located at the file and line of the finding, with the
 * rule's metadata in `tool.driver.rules`. Problems with the template itself
 * are results too, of the tool's own rules (TEMPLATE_RULES): a head template
 * that cannot be parsed gets a `template-parse-error` at the error's
 * position, so its rule alerts are not taken as fixed, and each template
 * diagnostic a `template-error` or `template-warning`.
 */
import type { CheckReport, TemplateCheck } from "../fitness/types.js";
import type { Diagnostic } from "../template/types.js";
import { analyseTemplate } from "./analysis.js";
import { escapeMarkdownCode, oneLine } from "./escape.js";

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

type Level = "error" | "warning";

/** The tool's own rules, for problems with a template rather than with the architecture it describes. */
export const TEMPLATE_RULES: Readonly<Record<"parseError" | "error" | "warning", SarifRuleInfo & { level: Level }>> = {
  parseError: {
    id: "template-parse-error",
    title: "Template cannot be parsed",
    docs: "The template is not valid YAML/JSON or not a CloudFormation template, so no rule could judge it: until it parses, its findings are unknown, not fixed. Fix the syntax at the reported line.",
    category: "template",
    weight: 0,
    level: "error",
  },
  error: {
    id: "template-error",
    title: "Template error",
    docs: "A problem in the template that CloudFormation or SAM would reject (a reference to an undefined resource or parameter, a malformed intrinsic, ...).",
    category: "template",
    weight: 0,
    level: "error",
  },
  warning: {
    id: "template-warning",
    title: "Template warning",
    docs: "A construct the analysis could not follow or that is likely a mistake; the results of the rules may be incomplete around it.",
    category: "template",
    weight: 0,
    level: "warning",
  },
};

function ruleDescriptor(rule: SarifRuleInfo, level: Level = "warning"): Record<string, unknown> {
  const properties: Record<string, unknown> = { category: rule.category, weight: rule.weight, tags: [rule.category] };
  if (rule.configRuleIdentifier) properties.configRuleIdentifier = rule.configRuleIdentifier;
  const title = oneLine(rule.title, 200);
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: title },
    fullDescription: { text: oneLine(rule.docs, 1000) || title },
    // Code scanning renders `help.markdown`, and a config-defined rule's docs are the pull request's text:
    // escaped like the comment (code spans kept), so it cannot add links, images, HTML or references.
    help: { text: rule.docs || title, markdown: escapeMarkdownCode(rule.docs || title, 2000) },
    defaultConfiguration: { level },
    properties,
  };
}

export function renderSarif(report: CheckReport, rules: readonly SarifRuleInfo[]): object {
  const descriptors: Record<string, unknown>[] = [];
  const index = new Map<string, number>();
  const addRule = (info: SarifRuleInfo, level?: Level): number => {
    const known = index.get(info.id);
    if (known !== undefined) return known;
    index.set(info.id, descriptors.length);
    descriptors.push(ruleDescriptor(info, level));
    return descriptors.length - 1;
  };
  for (const rule of rules) if (rule && typeof rule.id === "string") addRule(rule);

  const results: Record<string, unknown>[] = [];
  for (const t of report.templates) {
    const seen = new Map<string, number>();
    for (const [rule, diagnostic] of templateProblems(t)) {
      const message = oneLine(String(diagnostic.message ?? ""), 1000) || rule.title;
      // The message, not the line: an edit above the problem does not make it a new alert.
      // The same problem written twice stays two alerts.
      const key = `${rule.id}:${message}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const fingerprint = n > 1 ? `${key}#${n}` : key;
      results.push(problemResult(t.file, rule, addRule(rule, rule.level), diagnostic, message, fingerprint));
    }
    if (!t.fitness) continue;
    const analysis = analyseTemplate(t);
    const isNew = new Set(analysis.newFindings);
    for (const f of [...analysis.newFindings, ...analysis.existingFindings]) {
      const outcome = t.fitness.rules.find((r) => r.id === f.rule);
      // A rule known only from the results (a custom rule not passed in) still gets a descriptor.
      const ruleIndex = index.has(f.rule)
        ? (index.get(f.rule) as number)
        : addRule({ id: f.rule, title: f.title, docs: f.title, category: outcome?.category ?? "operations", weight: outcome?.weight ?? 0 });
      const stop = /[.!?:;]$/.test(f.message.trim()) ? "" : ".";
      const message = oneLine(`${f.resource}: ${f.message.trim()}${f.fix ? `${stop} Fix: ${f.fix}` : ""}`, 1000);
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
        properties: { score: f.score, newInThisChange: t.base ? isNew.has(f) : null, ...(f.worsened ? { worsened: true } : {}) },
      });
    }
    // Suppressed in the template's Metadata: reported as suppressed in source, with the reason as justification.
    for (const outcome of t.fitness.rules) {
      for (const r of outcome.results) {
        // A suppressed result that would have passed anyway is not a finding.
        if (r.status !== "suppressed" || r.score >= 1) continue;
        const ruleIndex = index.has(outcome.id)
          ? (index.get(outcome.id) as number)
          : addRule({ id: outcome.id, title: outcome.title, docs: outcome.title, category: outcome.category, weight: outcome.weight });
        results.push({
          ruleId: outcome.id,
          ruleIndex,
          level: "warning",
          message: { text: oneLine(`${r.resource}: ${r.message.trim() || outcome.title}`, 1000) },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: toUri(t.file) }, region: { startLine: Math.max(1, Math.trunc(r.line) || 1) } },
              logicalLocations: [{ name: r.resource, kind: "resource" }],
            },
          ],
          suppressions: [{ kind: "inSource", justification: oneLine(r.reason ?? "", 1000) }],
          partialFingerprints: { "samFitness/v1": `${outcome.id}:${r.resource}` },
          properties: { score: r.score, newInThisChange: null },
        });
      }
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

/** The template problems of one check to report: the parse error of the head, then its diagnostics. */
function templateProblems(t: TemplateCheck): [SarifRuleInfo & { level: Level }, Diagnostic][] {
  const out: [SarifRuleInfo & { level: Level }, Diagnostic][] = [];
  if (t.ok === false && t.error) out.push([TEMPLATE_RULES.parseError, t.error]);
  for (const d of Array.isArray(t.diagnostics) ? t.diagnostics : []) {
    if (!d || typeof d !== "object") continue;
    out.push([d.severity === "error" ? TEMPLATE_RULES.error : TEMPLATE_RULES.warning, d]);
  }
  return out;
}

function positive(n: unknown): number {
  return typeof n === "number" && Number.isFinite(n) ? Math.max(1, Math.trunc(n)) : 1;
}

function problemResult(
  file: string,
  rule: SarifRuleInfo & { level: Level },
  ruleIndex: number,
  d: Diagnostic,
  message: string,
  fingerprint: string,
): Record<string, unknown> {
  return {
    ruleId: rule.id,
    ruleIndex,
    level: rule.level,
    message: { text: message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(file) },
          region: { startLine: positive(d.line), startColumn: positive(d.column) },
        },
      },
    ],
    partialFingerprints: { "samFitness/v1": fingerprint },
  };
}
