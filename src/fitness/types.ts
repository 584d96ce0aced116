/**
 * The fitness model's data: what rules return, what scoring produces, and the
 * base/head comparison. These shapes are the `check --format json` public
 * contract (README, "JSON report").
 */
import type { EventGraph } from "../graph/types.js";
import type { Diagnostic, Template } from "../template/types.js";

export type Category = "security" | "reliability" | "operations" | "cost" | "performance";

/** What a rule sees: one parsed template (Globals merged) and its event graph. */
export interface RuleContext {
  template: Template;
  graph: EventGraph;
  /**
   * The day the architecture is judged on (YYYY-MM-DD, UTC), for rules that
   * depend on time (a runtime's end of support). Base and head of one run
   * share it; default: today.
   */
  date?: string;
}

/** One rule's verdict on one resource, as the rule returns it. */
export interface Finding {
  /** Logical ID of the resource judged. */
  resource: string;
  /** 1 = pass, 0 = fail, in between = partial credit. */
  score: number;
  message: string;
  /** Line of the property at fault, or of the resource when the property is missing. */
  line: number;
  /** How to fix it, when the finding is not a full pass. */
  fix?: string;
  /**
   * Whether the rule's core requirement is met (status "pass"), for partial
   * credit that still passes (a canary deployment without alarms). Default:
   * score >= 1.
   */
  pass?: boolean;
}

export interface Rule {
  /** kebab-case; where an AWS Config managed rule checks the same thing, its identifier in kebab form. */
  id: string;
  title: string;
  category: Category;
  /** Default weight (config may override). */
  weight: number;
  /** CloudFormation / SAM resource types the rule judges. */
  appliesTo: readonly string[];
  /** AWS Config managed rule identifier (e.g. S3_BUCKET_VERSIONING_ENABLED), for the live check. */
  configRuleIdentifier?: string;
  /** What the rule checks and how to fix a failure (markdown). */
  docs: string;
  evaluate(context: RuleContext): Finding[];
}

export type ResultStatus = "pass" | "fail" | "suppressed";

export interface RuleResult {
  resource: string;
  status: ResultStatus;
  /** Credit earned, 0..1 (suppressed results do not count towards the score). */
  score: number;
  message: string;
  line: number;
  fix?: string;
  /** For suppressed results: the reason given in the template Metadata. */
  reason?: string;
}

export interface RuleOutcome {
  id: string;
  title: string;
  category: Category;
  weight: number;
  configRuleIdentifier: string | null;
  /** Mean credit over the rule's non-suppressed results; null when the rule applies to nothing. */
  passRate: number | null;
  results: RuleResult[];
}

export interface Complexity {
  /** The raw complexity value computed from the graph. */
  value: number;
  /** Points subtracted from the score: min(cap, lambda x value). */
  penalty: number;
  lambda: number;
  cap: number;
  /** The graph figures the value is computed from. */
  inputs: Record<string, number>;
}

export interface Suggestion {
  rule: string;
  resource: string;
  /** Exact score gain if this (rule, resource) passed, computed by re-scoring. */
  gain: number;
  line: number;
  fix?: string;
}

export interface Fitness {
  /** 100 x weighted pass rate - complexity penalty. */
  score: number;
  /** 100 x weighted pass rate, before the complexity penalty. */
  quality: number;
  rules: RuleOutcome[];
  complexity: Complexity;
  suggestions: Suggestion[];
  /** Template-level problems met while scoring (a suppression without a reason, ...). */
  notes: string[];
}

/** Why the score moved between base and head: contributions add up to `score` exactly. */
export interface Delta {
  score: number;
  /** Per rule: its contribution to the quality part of the delta (points). */
  byRule: Record<string, number>;
  /** Change in the complexity penalty's contribution (negative when complexity grew). */
  complexity: number;
  /**
   * The same quality change split per resource (rule by rule, each result's
   * share of its rule's contribution); sums to the sum of `byRule` exactly,
   * apart from `baseline`.
   */
  byResource?: Record<string, number>;
  /**
   * Points that come from a side with no applicable rule at all (its quality
   * is 100 by definition): 100 x ([head has none] - [base has none]). Usually 0.
   * score = sum(byRule) + baseline + complexity.
   */
  baseline?: number;
}

export interface Gate {
  passed: boolean;
  threshold: number | null;
  maxDecrease: number | null;
  /** Why the gate failed, one sentence each. */
  failures: string[];
}

export interface TemplateGraphs {
  head: EventGraph | null;
  base: EventGraph | null;
}

/** One template's result in a `check` run (head against base). */
export interface TemplateCheck {
  /** Path as given / relative to the repository root. */
  file: string;
  /** False when the head template could not be parsed (see `error`). */
  ok: boolean;
  /** How the change touched the template. */
  change: "added" | "deleted" | "modified" | "unchanged" | "no-base";
  error?: Diagnostic;
  baseError?: Diagnostic;
  diagnostics: Diagnostic[];
  /** Head fitness; null when the head template is deleted or unparseable. */
  fitness: Fitness | null;
  /** Base fitness; null when there is no base (added template, no --base) or it is unparseable. */
  base: Fitness | null;
  delta: Delta | null;
  gate: Gate;
  graph: EventGraph | null;
  baseGraph: EventGraph | null;
}

export interface CheckReport {
  templates: TemplateCheck[];
  /** The verdict over all templates. */
  gate: Gate;
  toolVersion: string;
  /** Path of the config file used, or null for the defaults. */
  configPath: string | null;
}



