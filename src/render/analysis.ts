/**
 * What the report says about one template, worked out from its head and base
 * fitness: which findings the change introduced, which it fixed, which were
 * there before, and which resources' rule results changed. Pure. Every
 * front end (PR comment, job summary, text, SARIF, annotations) classifies
 * findings through it, so a finding is "new" in one only if it is in all.
 *
 * A failing result is NEW when it did not fail in base, WORSENED when it
 * failed in base with more credit (0.5 -> 0: the change made it worse), and
 * PRE-EXISTING when it failed in base with as much credit or less. New and
 * worsened findings are the change's: they are listed (and annotated)
 * together, a worsened one marked as such.
 */
import type { Fitness, RuleOutcome, RuleResult, TemplateCheck } from "../fitness/types.js";
import { own } from "../tables.js";

export interface ReportFinding {
  rule: string;
  title: string;
  resource: string;
  line: number;
  message: string;
  score: number;
  fix?: string;
  /** Failed in base too, with more credit: the change made it worse (listed with the new findings). */
  worsened?: true;
}

export interface RuleRow {
  id: string;
  title: string;
  weight: number;
  basePassRate: number | null;
  headPassRate: number | null;
  newFindings: number;
  fixedFindings: number;
  /** Contribution to the score delta (points), when there is a base. */
  contribution: number | null;
}

/**
 * How one rule's result for one resource moved: a new failure, a fix, a
 * change of partial credit, a resource added with a passing result, or a
 * result that disappeared (resource removed or now suppressed).
 */
export interface Move {
  resource: string;
  /** Line in head (for "removed", the base line). */
  line: number;
  what: "new" | "worsened" | "fixed" | "changed" | "added" | "removed";
}

export interface TemplateAnalysis {
  /** Failing results the change introduced or made worse (or every failing result when there is no base). */
  newFindings: ReportFinding[];
  /** Failing results that were already failing in base, with no more credit then than now. */
  existingFindings: ReportFinding[];
  /** Results failing in base and no longer failing in head. */
  fixedFindings: ReportFinding[];
  rules: RuleRow[];
  /** Logical IDs whose rule results differ between base and head. */
  changedResources: Set<string>;
  /** Per rule: the resources whose results changed, with the line to point at. */
  movedBy: Map<string, Move[]>;
}

function outcomes(fitness: Fitness | null): RuleOutcome[] {
  return fitness && Array.isArray(fitness.rules) ? fitness.rules.filter((r) => r && typeof r === "object") : [];
}

function resultsOf(outcome: RuleOutcome | undefined): RuleResult[] {
  return outcome && Array.isArray(outcome.results) ? outcome.results.filter((r) => r && typeof r === "object") : [];
}

function finding(outcome: RuleOutcome, result: RuleResult): ReportFinding {
  const f: ReportFinding = {
    rule: String(outcome.id),
    title: String(outcome.title ?? outcome.id),
    resource: String(result.resource),
    line: Number.isFinite(result.line) ? result.line : 0,
    message: String(result.message ?? ""),
    score: Number.isFinite(result.score) ? result.score : 0,
  };
  if (typeof result.fix === "string" && result.fix) f.fix = result.fix;
  return f;
}

function byResource(results: RuleResult[]): Map<string, RuleResult> {
  const map = new Map<string, RuleResult>();
  for (const r of results) if (!map.has(String(r.resource))) map.set(String(r.resource), r);
  return map;
}

export function analyseTemplate(check: TemplateCheck): TemplateAnalysis {
  const head = outcomes(check.fitness);
  const base = outcomes(check.base);
  const hasBase = check.base !== null && check.base !== undefined;
  const baseById = new Map(base.map((o) => [String(o.id), o]));
  const headById = new Map(head.map((o) => [String(o.id), o]));
  const analysis: TemplateAnalysis = {
    newFindings: [],
    existingFindings: [],
    fixedFindings: [],
    rules: [],
    changedResources: new Set(),
    movedBy: new Map(),
  };
  const ids = [...headById.keys(), ...[...baseById.keys()].filter((id) => !headById.has(id))];
  for (const id of ids) {
    const h = headById.get(id);
    const b = baseById.get(id);
    const headResults = byResource(resultsOf(h));
    const baseResults = byResource(resultsOf(b));
    const moved: Move[] = [];
    let newCount = 0;
    let fixedCount = 0;
    if (h) {
      for (const r of headResults.values()) {
        if (r.status !== "fail") continue;
        const before = baseResults.get(String(r.resource));
        if (hasBase && before?.status === "fail" && !(r.score < before.score)) analysis.existingFindings.push(finding(h, r));
        else if (hasBase && before?.status === "fail") {
          analysis.newFindings.push({ ...finding(h, r), worsened: true });
          newCount++;
          moved.push({ resource: String(r.resource), line: r.line, what: "worsened" });
        } else {
          analysis.newFindings.push(finding(h, r));
          newCount++;
          if (hasBase) moved.push({ resource: String(r.resource), line: r.line, what: "new" });
        }
      }
    }
    if (b && hasBase) {
      for (const r of baseResults.values()) {
        const after = headResults.get(String(r.resource));
        if (r.status === "fail" && after?.status !== "fail") {
          // Point at the head's line when the resource is still there: links go to the head commit.
          analysis.fixedFindings.push({ ...finding(b, r), line: after?.line ?? r.line });
          fixedCount++;
          moved.push({ resource: String(r.resource), line: after?.line ?? r.line, what: "fixed" });
        }
      }
      for (const r of headResults.values()) {
        const before = baseResults.get(String(r.resource));
        const worsened = before?.status === "fail" && r.status === "fail" && r.score < before.score;
        if (before && before.status === r.status && before.score !== r.score && !worsened) {
          moved.push({ resource: String(r.resource), line: r.line, what: "changed" });
        }
        if (!before && r.status === "pass") moved.push({ resource: String(r.resource), line: r.line, what: "added" });
      }
      for (const r of baseResults.values()) {
        const after = headResults.get(String(r.resource));
        if (r.status !== "fail" && (!after || after.status === "suppressed") && r.status !== "suppressed") {
          moved.push({ resource: String(r.resource), line: r.line, what: "removed" });
        }
      }
    }
    if (hasBase) {
      for (const m of moved) analysis.changedResources.add(m.resource);
      // A resource that appeared or disappeared with a passing result changed the pass rate too.
      for (const r of headResults.values()) {
        if (!baseResults.has(String(r.resource))) analysis.changedResources.add(String(r.resource));
      }
    }
    analysis.movedBy.set(id, moved);
    const any = h ?? b;
    if (!any) continue;
    const share = own(check.delta?.byRule, id);
    const contribution = typeof share === "number" ? share : null;
    analysis.rules.push({
      id,
      title: String(any.title ?? id),
      weight: Number(h?.weight ?? b?.weight ?? 0),
      basePassRate: hasBase ? (b?.passRate ?? null) : null,
      headPassRate: h?.passRate ?? null,
      newFindings: newCount,
      fixedFindings: fixedCount,
      contribution: contribution ?? null,
    });
  }
  return analysis;
}
