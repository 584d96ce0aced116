/**
 * Reads AWS Config: the rules active in the account and region
 * (DescribeConfigRules) and, per deployed resource, the rules' verdicts
 * (GetComplianceDetailsByResource, every page), with bounded concurrency,
 * retries on throttling and the time budget.
 */
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { loadConfigSdk } from "./clients.js";
import { classifyError } from "./errors.js";
import { BudgetExceededError, mapLimit, withRetry, type Deadline, type RetryPolicy } from "./pacing.js";
import type { ComplianceType } from "./types.js";

/** One active Config rule: its name and, for AWS managed rules, the managed rule identifier. */
export interface ConfigRuleInfo {
  name: string;
  /** `Source.SourceIdentifier` of an AWS managed rule (UPPER_SNAKE), null for custom rules. */
  identifier: string | null;
}

export interface EvaluationResult {
  configRule: string;
  compliance: ComplianceType;
  annotation?: string;
}

export interface ComplianceQuery {
  logicalId: string;
  resourceType: string;
  resourceId: string;
}

export interface ComplianceAnswer {
  /** Verdicts by logical ID, for the resources Config answered about. */
  results: Map<string, EvaluationResult[]>;
  checked: number;
  warnings: string[];
}

const COMPLIANCE: ReadonlySet<string> = new Set(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"]);
const MAX_PAGES = 100;

/** The active rules; null (with a warning) when they cannot be listed. */
export async function readConfigRules(
  client: ConfigServiceClient,
  region: string | null,
  stack: string,
  deadline: Deadline,
  retry: RetryPolicy,
  warnings: string[],
): Promise<ConfigRuleInfo[] | null> {
  const sdk = await loadConfigSdk();
  const rules: ConfigRuleInfo[] = [];
  let token: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await withRetry(
        "DescribeConfigRules",
        () =>
          client.send(new sdk.DescribeConfigRulesCommand({ NextToken: token }), { abortSignal: deadline.signal() }),
        deadline,
        retry,
      );
      for (const rule of page.ConfigRules ?? []) {
        if (!rule.ConfigRuleName) continue;
        const managed = rule.Source?.Owner === "AWS" && typeof rule.Source.SourceIdentifier === "string";
        rules.push({ name: rule.ConfigRuleName, identifier: managed ? (rule.Source?.SourceIdentifier ?? null) : null });
      }
      token = page.NextToken || undefined;
      pages++;
    } while (token && pages < MAX_PAGES);
  } catch (error) {
    const why = classifyError(error, "config:DescribeConfigRules", stack, region);
    warnings.push(`AWS Config rules not listed, so rules are matched by name only: ${why.message}`);
    return null;
  }
  return rules;
}

async function resourceCompliance(
  client: ConfigServiceClient,
  sdk: Awaited<ReturnType<typeof loadConfigSdk>>,
  query: ComplianceQuery,
  deadline: Deadline,
  retry: RetryPolicy,
  onThrottle: () => void,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await withRetry(
      "GetComplianceDetailsByResource",
      () =>
        client.send(
          new sdk.GetComplianceDetailsByResourceCommand({
            ResourceType: query.resourceType,
            ResourceId: query.resourceId,
            NextToken: token,
          }),
          { abortSignal: deadline.signal() },
        ),
      deadline,
      retry,
      onThrottle,
    );
    for (const result of page.EvaluationResults ?? []) {
      const configRule = result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ConfigRuleName;
      const compliance = result.ComplianceType;
      if (!configRule || !compliance || !COMPLIANCE.has(compliance)) continue;
      results.push({
        configRule,
        compliance: compliance as ComplianceType,
        ...(result.Annotation ? { annotation: result.Annotation } : {}),
      });
    }
    token = page.NextToken || undefined;
    pages++;
  } while (token && pages < MAX_PAGES);
  return results;
}

/**
 * Asks Config about each resource. Stops early, with one warning, when the
 * identity may not call the API or the budget runs out; other per-resource
 * failures are summed up in one warning.
 */
export async function readCompliance(
  client: ConfigServiceClient,
  queries: readonly ComplianceQuery[],
  options: { concurrency: number; deadline: Deadline; retry: RetryPolicy; stack: string; region: string | null },
): Promise<ComplianceAnswer> {
  const sdk = await loadConfigSdk();
  const results = new Map<string, EvaluationResult[]>();
  const warnings: string[] = [];
  let stopped: string | null = null;
  let throttled = 0;

  const settled = await mapLimit(queries, options.concurrency, async (query) => {
    if (stopped) throw new Error(stopped);
    if (options.deadline.expired()) throw new BudgetExceededError(query.logicalId);
    try {
      return await resourceCompliance(client, sdk, query, options.deadline, options.retry, () => throttled++);
    } catch (error) {
      const why = classifyError(error, "config:GetComplianceDetailsByResource", options.stack, options.region);
      if (why.kind === "access-denied" || why.kind === "credentials" || why.kind === "region") {
        stopped ??= `AWS Config compliance not read: ${why.message}`;
      }
      throw new Error(why.kind === "timeout" ? "timeout" : why.message);
    }
  });

  let checked = 0;
  let timedOut = 0;
  const failures: string[] = [];
  settled.forEach((outcome, index) => {
    const query = queries[index] as ComplianceQuery;
    if (outcome.status === "fulfilled") {
      checked++;
      results.set(query.logicalId, outcome.value);
      return;
    }
    const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    if (reason === "timeout" || outcome.reason instanceof BudgetExceededError) timedOut++;
    else if (!stopped) failures.push(`${query.logicalId}: ${reason}`);
  });

  if (stopped) warnings.push(stopped);
  if (timedOut > 0) {
    warnings.push(
      `The time budget ran out: AWS Config answered for ${checked} of ${queries.length} resources; ` +
        "the live score covers only those.",
    );
  }
  if (failures.length > 0) {
    const shown = failures.slice(0, 3).join("; ");
    const more = failures.length > 3 ? ` (and ${failures.length - 3} more)` : "";
    warnings.push(`AWS Config compliance failed for ${failures.length} resources: ${shown}${more}`);
  }
  if (throttled > 0) warnings.push(`AWS Config throttled ${throttled} calls; they were retried with backoff.`);
  return { results, checked, warnings };
}
