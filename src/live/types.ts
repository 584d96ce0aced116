/**
 * The live stack check's data: what the deployed stack and AWS Config say,
 * set against the template under review. `LiveReport` is the `live` section
 * of the `check --format json` report (docs/live-check.md documents it).
 */
import type { Fitness } from "../fitness/types.js";

export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";

/** One AWS Config rule's verdict on one deployed resource. */
export interface LiveCompliance {
  /** The Config rule's name in the account (e.g. `securityhub-s3-bucket-versioning-enabled-a1b2c3`). */
  configRule: string;
  /** Our rule that checks the same thing, or null when none does. */
  ruleId: string | null;
  compliance: ComplianceType;
  annotation?: string;
}

export interface LiveResource {
  logicalId: string;
  physicalId: string | null;
  /** The deployed CloudFormation type (SAM resources appear as what they became). */
  type: string;
  /** CloudFormation's resource status (CREATE_COMPLETE, UPDATE_FAILED, ...). */
  status: string | null;
  /** True when the template declares this logical ID, or a SAM resource of the template generated it. */
  inTemplate: boolean;
  /** For resources SAM generated: the logical ID of the template resource they come from. */
  generatedBy?: string;
  /** The event graph node this resource is (or belongs to), when there is one. */
  node: string | null;
  /** CloudFormation's drift status for the resource (IN_SYNC, MODIFIED, DELETED, NOT_CHECKED), when known. */
  drift: string | null;
  compliance: LiveCompliance[];
}

export interface RemovedResource {
  logicalId: string;
  type: string;
  /** Holds data that deleting the resource loses (tables, buckets, queues, ...). */
  stateful: boolean;
  /** The deployed template keeps it on delete (DeletionPolicy Retain / Snapshot / RetainExceptOnCreate). */
  retained: boolean;
}

export interface LiveChanges {
  /** Logical IDs the template declares that are not deployed yet. */
  added: string[];
  /** Deployed resources the template no longer declares: deploying the change deletes them. */
  removed: RemovedResource[];
  /** Logical IDs whose deployment replaces the resource (type change or a replacement-only property changed). */
  replaced: string[];
  /** Why each replaced resource is replaced, by logical ID. */
  replacedBecause: Record<string, string>;
}

/** Where the template-level verdict and AWS Config's verdict differ. */
export interface LiveDisagreement {
  ruleId: string;
  resource: string;
  configRule: string;
  template: "pass" | "fail";
  live: ComplianceType;
  annotation?: string;
}

export type LiveErrorKind =
  | "credentials"
  | "access-denied"
  | "stack-not-found"
  | "region"
  | "timeout"
  | "network"
  | "unknown";

/** Why the live check could not run at all. */
export interface LiveError {
  kind: LiveErrorKind;
  message: string;
  /** For access-denied: the IAM action the caller needs (e.g. `cloudformation:DescribeStacks`). */
  action?: string;
}

export interface LiveCoverage {
  /** Deployed resources of a type AWS Config evaluates (and that we query). */
  supported: number;
  /** Of those, how many got an answer from AWS Config within the budget. */
  checked: number;
  /** Whether the AWS Config part ran at all (false: no rules, access denied, ...). */
  config: boolean;
}

export interface LiveReport {
  /** False when the live check failed as a whole (see `error`); a failed part only adds a warning. */
  ok: boolean;
  error: LiveError | null;
  /** The stack name as given. */
  stack: string;
  stackId: string | null;
  region: string | null;
  /** CloudFormation stack status (UPDATE_COMPLETE, ROLLBACK_COMPLETE, ...). */
  status: string | null;
  /** ISO time of the last update (or creation when never updated). */
  lastUpdated: string | null;
  /** CloudFormation's stack drift status (DRIFTED, IN_SYNC, NOT_CHECKED, UNKNOWN), when known. */
  drift: string | null;
  driftCheckedAt: string | null;
  resources: LiveResource[];
  changes: LiveChanges;
  disagreements: LiveDisagreement[];
  /** Config rules that evaluated resources of the stack and have no counterpart among our rules. */
  unmatchedConfigRules: string[];
  /** Live fitness, in the same model as the template's (see docs/live-check.md); null without Config evidence. */
  fitness: Fitness | null;
  score: number | null;
  coverage: LiveCoverage;
  warnings: string[];
}
