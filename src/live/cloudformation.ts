/**
 * Reads the deployed stack from CloudFormation: DescribeStacks (status, last
 * update, drift status), ListStackResources (every page) and the processed
 * template (GetTemplate, optional: its failure is only a warning).
 */
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { loadCloudFormationSdk } from "./clients.js";
import { classifyError } from "./errors.js";
import { withRetry, type Deadline, type RetryPolicy } from "./pacing.js";
import type { LiveError } from "./types.js";

export interface DeployedResource {
  logicalId: string;
  physicalId: string | null;
  type: string;
  status: string | null;
  drift: string | null;
}

export interface DeployedStack {
  stackId: string | null;
  status: string | null;
  lastUpdated: string | null;
  drift: string | null;
  driftCheckedAt: string | null;
  resources: DeployedResource[];
  /** The processed (post-transform) template body, when GetTemplate answered. */
  templateBody: string | null;
  warnings: string[];
}

export class LiveCheckFailure extends Error {
  constructor(readonly detail: LiveError) {
    super(detail.message);
  }
}

const iso = (value: unknown): string | null =>
  value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;

/** Stops following NextToken after this many pages (a stack holds at most a few thousand resources). */
const MAX_PAGES = 200;

export async function readStack(
  client: CloudFormationClient,
  stackName: string,
  region: string | null,
  deadline: Deadline,
  retry: RetryPolicy,
): Promise<DeployedStack> {
  const sdk = await loadCloudFormationSdk();
  const call = async <T>(action: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await withRetry(action, send, deadline, retry);
    } catch (error) {
      throw new LiveCheckFailure(classifyError(error, `cloudformation:${action}`, stackName, region));
    }
  };

  const described = await call("DescribeStacks", () =>
    client.send(new sdk.DescribeStacksCommand({ StackName: stackName }), { abortSignal: deadline.signal() }),
  );
  const stack = described.Stacks?.[0];
  if (!stack) {
    throw new LiveCheckFailure(
      classifyError(
        { name: "ValidationError", message: `Stack ${stackName} does not exist` },
        "cloudformation:DescribeStacks",
        stackName,
        region,
      ),
    );
  }
  const warnings: string[] = [];
  const status = stack.StackStatus ?? null;
  if (status === "DELETE_COMPLETE") {
    throw new LiveCheckFailure({
      kind: "stack-not-found",
      message: `Stack ${stackName} was deleted${region ? ` (region ${region})` : ""}: there is no deployed stack to compare with.`,
    });
  }
  if (status && /FAILED$|ROLLBACK_COMPLETE$|IN_PROGRESS$/.test(status)) {
    warnings.push(`Stack ${stackName} is in state ${status}: the deployed resources may not match its template.`);
  }

  // Ask by stack ID from here on: it is unambiguous, the name may be reused.
  const stackRef = stack.StackId ?? stackName;
  const resources: DeployedResource[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await call("ListStackResources", () =>
      client.send(new sdk.ListStackResourcesCommand({ StackName: stackRef, NextToken: token }), {
        abortSignal: deadline.signal(),
      }),
    );
    for (const summary of page.StackResourceSummaries ?? []) {
      if (!summary.LogicalResourceId || !summary.ResourceType) continue;
      resources.push({
        logicalId: summary.LogicalResourceId,
        physicalId: summary.PhysicalResourceId ?? null,
        type: summary.ResourceType,
        status: summary.ResourceStatus ?? null,
        drift: summary.DriftInformation?.StackResourceDriftStatus ?? null,
      });
    }
    token = page.NextToken || undefined;
    pages++;
  } while (token && pages < MAX_PAGES);
  if (token) warnings.push(`ListStackResources still had more pages after ${MAX_PAGES}; the rest were not read.`);

  let templateBody: string | null = null;
  try {
    const template = await withRetry(
      "GetTemplate",
      () =>
        client.send(new sdk.GetTemplateCommand({ StackName: stackRef, TemplateStage: "Processed" }), {
          abortSignal: deadline.signal(),
        }),
      deadline,
      retry,
    );
    templateBody = typeof template.TemplateBody === "string" ? template.TemplateBody : null;
  } catch (error) {
    const why = classifyError(error, "cloudformation:GetTemplate", stackName, region);
    warnings.push(`Deployed template not read, so replacements and retained deletions are not detected: ${why.message}`);
  }

  return {
    stackId: stack.StackId ?? null,
    status,
    lastUpdated: iso(stack.LastUpdatedTime) ?? iso(stack.CreationTime),
    drift: stack.DriftInformation?.StackDriftStatus ?? null,
    driftCheckedAt: iso(stack.DriftInformation?.LastCheckTimestamp),
    resources,
    templateBody,
    warnings,
  };
}
