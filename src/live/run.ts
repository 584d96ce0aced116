/**
 * The live stack check: reads the deployed stack (CloudFormation) and its
 * resources' compliance (AWS Config), and sets both against the template
 * under review. The I/O lives in cloudformation.ts and config-service.ts; the
 * judging in mapping.ts, compliance.ts and score.ts.
 */
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { Fitness, Rule } from "../fitness/types.js";
import type { EventGraph } from "../graph/types.js";
import { parseTemplate } from "../template/parse.js";
import type { Template } from "../template/types.js";
import { dict } from "../tables.js";
import { createCloudFormationClient, createConfigClient } from "./clients.js";
import { LiveCheckFailure, readStack, type DeployedStack } from "./cloudformation.js";
import { findDisagreements, mapConfigRules, unmatchedConfigRules } from "./compliance.js";
import { readCompliance, readConfigRules, type ComplianceQuery } from "./config-service.js";
import { classifyError, regionOfStackArn } from "./errors.js";
import { computeChanges, graphNodeOf, matchDeployed } from "./mapping.js";
import { DEFAULT_RETRY, Deadline, type RetryPolicy } from "./pacing.js";
import { CONFIG_QUERYABLE_TYPES } from "./resource-types.js";
import { liveFitness } from "./score.js";
import type { LiveError, LiveReport, LiveResource } from "./types.js";

export interface LiveCheckOptions {
  stackName: string;
  /** Region of the stack; else the stack ARN's, AWS_REGION, AWS_DEFAULT_REGION or the SDK profile's. */
  region?: string;
  template: Template;
  graph: EventGraph;
  /** The rules in force (for their `configRuleIdentifier`, title, weight). */
  rules: readonly Rule[];
  /** The template's fitness, for disagreements, weights, suppressions and the complexity penalty. */
  templateFitness?: Fitness | null;
  /** Total time for the whole check, in milliseconds (default 60 s). */
  budgetMs?: number;
  /** AWS Config calls in flight at once (default 4). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Ready-made clients (tests, custom credentials); created from the region otherwise. */
  clients?: { cloudFormation?: CloudFormationClient; config?: ConfigServiceClient };
  /** The environment to read the region from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_BUDGET_MS = 60_000;
export const DEFAULT_CONCURRENCY = 4;

function emptyReport(stack: string, region: string | null): LiveReport {
  return {
    ok: true,
    error: null,
    stack,
    stackId: null,
    region,
    status: null,
    lastUpdated: null,
    drift: null,
    driftCheckedAt: null,
    resources: [],
    changes: { added: [], removed: [], replaced: [], replacedBecause: dict<string>() },
    disagreements: [],
    unmatchedConfigRules: [],
    fitness: null,
    score: null,
    coverage: { supported: 0, checked: 0, config: false },
    warnings: [],
  };
}

function failed(stack: string, region: string | null, error: LiveError, warnings: string[] = []): LiveReport {
  return { ...emptyReport(stack, region), ok: false, error, warnings: [...warnings, error.message] };
}

/** Which region to use, or why none fits. */
export function resolveRegion(
  stackName: string,
  region: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { region: string | undefined } | { error: LiveError } {
  const fromArn = regionOfStackArn(stackName);
  const given = region?.trim() || undefined;
  if (given && fromArn && given !== fromArn) {
    return {
      error: {
        kind: "region",
        message: `Region mismatch: the stack ARN names region ${fromArn} but the check was asked to use ${given}.`,
      },
    };
  }
  return { region: given ?? fromArn ?? (env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || undefined) };
}

async function clientRegion(client: { config: { region: unknown } }): Promise<string | null> {
  const region = client.config.region;
  const value = typeof region === "function" ? await (region as () => Promise<unknown>)() : region;
  return typeof value === "string" && value ? value : null;
}

function parseDeployed(stack: DeployedStack, name: string, warnings: string[]): Template | null {
  if (!stack.templateBody) return null;
  const parsed = parseTemplate(stack.templateBody, `${name} (deployed)`);
  if (parsed.ok) return parsed.template;
  warnings.push(`The deployed template could not be read: ${parsed.error.message}`);
  return null;
}

export async function runLiveCheck(options: LiveCheckOptions): Promise<LiveReport> {
  const { stackName, template, graph } = options;
  const env = options.env ?? process.env;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const deadline = new Deadline(options.budgetMs ?? DEFAULT_BUDGET_MS);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));

  if (!stackName.trim()) {
    return failed(stackName, null, { kind: "stack-not-found", message: "No stack name given for the live check." });
  }
  const resolved = resolveRegion(stackName, options.region, env);
  if ("error" in resolved) return failed(stackName, options.region ?? null, resolved.error);

  let region: string | null = resolved.region ?? null;
  let stack: DeployedStack;
  try {
    const cloudFormation = options.clients?.cloudFormation ?? (await createCloudFormationClient(resolved.region));
    region = await clientRegion(cloudFormation);
    if (!region) {
      return failed(stackName, null, classifyError(new Error("Region is missing"), "", stackName, null));
    }
    stack = await readStack(cloudFormation, stackName, region, deadline, retry);
  } catch (error) {
    const detail =
      error instanceof LiveCheckFailure ? error.detail : classifyError(error, "cloudformation:DescribeStacks", stackName, region);
    return failed(stackName, region, detail);
  }

  const report = emptyReport(stackName, region);
  const warnings = [...stack.warnings];
  const deployedTemplate = parseDeployed(stack, stackName, warnings);

  const resources: LiveResource[] = stack.resources.map((deployed) => {
    const match = matchDeployed(deployed.logicalId, template, deployed.type);
    return {
      logicalId: deployed.logicalId,
      physicalId: deployed.physicalId,
      type: deployed.type,
      status: deployed.status,
      inTemplate: match.templateId !== null || match.generatedBy !== null,
      ...(match.generatedBy ? { generatedBy: match.generatedBy } : {}),
      node: graphNodeOf(match, deployed.logicalId, graph),
      drift: deployed.drift,
      compliance: [],
    };
  });

  const queries: ComplianceQuery[] = resources
    .filter((resource) => resource.physicalId && CONFIG_QUERYABLE_TYPES.has(resource.type))
    .map((resource) => ({ logicalId: resource.logicalId, resourceType: resource.type, resourceId: resource.physicalId as string }));
  report.coverage.supported = queries.length;

  if (queries.length > 0) {
    try {
      const config = options.clients?.config ?? (await createConfigClient(region));
      const configRules = await readConfigRules(config, region, stackName, deadline, retry, warnings);
      if (configRules !== null && configRules.length === 0) {
        warnings.push(`AWS Config has no rules in ${region}: there is no live compliance to compare.`);
      } else {
        const answer = await readCompliance(config, queries, { concurrency, deadline, retry, stack: stackName, region });
        warnings.push(...answer.warnings);
        report.coverage.checked = answer.checked;
        report.coverage.config = answer.checked > 0;
        const names = new Set([...answer.results.values()].flat().map((result) => result.configRule));
        const mapping = mapConfigRules(names, configRules, options.rules);
        for (const resource of resources) {
          resource.compliance = (answer.results.get(resource.logicalId) ?? []).map((result) => ({
            ...result,
            ruleId: mapping.get(result.configRule) ?? null,
          }));
        }
      }
    } catch (error) {
      warnings.push(`AWS Config compliance not read: ${classifyError(error, "config:GetComplianceDetailsByResource", stackName, region).message}`);
    }
  }

  const changes = computeChanges(template, stack.resources, deployedTemplate);
  for (const removed of changes.removed) {
    if (removed.stateful && !removed.retained) {
      warnings.push(
        `Deploying this template DELETES ${removed.logicalId} (${removed.type}) and the data it holds: ` +
          "it is deployed but no longer in the template. To keep the data, deploy it with " +
          "DeletionPolicy: Retain first, then remove it.",
      );
    }
  }
  if (stack.drift === "DRIFTED") {
    warnings.push(`Stack ${stackName} has drifted from its template (last drift check ${stack.driftCheckedAt ?? "unknown"}).`);
  }

  const fitness = liveFitness(options.rules, resources, template, options.templateFitness);
  return {
    ...report,
    stackId: stack.stackId,
    status: stack.status,
    lastUpdated: stack.lastUpdated,
    drift: stack.drift,
    driftCheckedAt: stack.driftCheckedAt,
    resources,
    changes,
    disagreements: findDisagreements(options.templateFitness, resources),
    unmatchedConfigRules: unmatchedConfigRules(resources),
    fitness,
    score: fitness?.score ?? null,
    warnings,
  };
}
