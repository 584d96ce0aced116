/**
 * Publishing fitness scores as CloudWatch metrics (`cloudwatch-namespace`
 * input), so that they can be alarmed on and put on dashboards. The AWS SDK
 * is loaded only when this is used. Without AWS credentials or a region it
 * does nothing and says so.
 */
import type { HistoryRecord } from "./types.js";

export interface MetricOptions {
  namespace: string;
  /** Default AWS_REGION, else AWS_DEFAULT_REGION. */
  region?: string;
  /** Endpoint override; default AWS_ENDPOINT_URL_CLOUDWATCH, else AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Extra dimensions on every metric (e.g. Repository). */
  dimensions?: Record<string, string>;
  /** Timestamp of the data points (default now). */
  timestamp?: Date;
  /** Where notices go (default: nowhere; the result says what happened). */
  log?: (message: string) => void;
  /** Environment read for the region and the endpoint (default process.env); credentials come from the SDK's usual chain. */
  env?: NodeJS.ProcessEnv;
}

export interface MetricResult {
  /** Data points sent. */
  published: number;
  /** Why nothing was sent, when nothing was. */
  skipped: string | null;
}

export const SCORE_METRIC = "FitnessScore";
export const QUALITY_METRIC = "FitnessQuality";
export const PENALTY_METRIC = "ComplexityPenalty";

/** CloudWatch dimension values: 1 to 1024 characters. */
function dimensionValue(text: string): string {
  const value = text.length > 1024 ? text.slice(0, 1024) : text;
  return value.length === 0 ? "-" : value;
}

/** PutMetricData takes a bounded number of data points per call; 20 is within every limit it has had. */
const BATCH = 20;

export async function publishScoreMetric(records: readonly HistoryRecord[], options: MetricOptions): Promise<MetricResult> {
  const log = options.log ?? (() => undefined);
  const env = options.env ?? process.env;
  const skip = (why: string): MetricResult => {
    log(`CloudWatch metrics not published: ${why}.`);
    return { published: 0, skipped: why };
  };
  const namespace = options.namespace.trim();
  if (namespace.length === 0 || namespace.length > 255 || namespace.startsWith(":")) {
    return skip(`"${namespace.slice(0, 60)}" is not a usable namespace (1 to 255 characters, not starting with ":")`);
  }
  if (records.length === 0) return skip("there is no score to publish");
  const region = options.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
  if (!region) return skip("no AWS region is set (AWS_REGION)");
  const endpoint = options.endpoint ?? env["AWS_ENDPOINT_URL_CLOUDWATCH"] ?? env["AWS_ENDPOINT_URL"];

  const { CloudWatchClient, PutMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
  const client = new CloudWatchClient({ region, ...(endpoint ? { endpoint } : {}) });
  try {
    try {
      await client.config.credentials();
    } catch {
      return skip("no AWS credentials were found");
    }
    const extra = Object.entries(options.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value: dimensionValue(Value) }));
    const timestamp = options.timestamp ?? new Date();
    const data = records.flatMap((record) => {
      const Dimensions = [{ Name: "Template", Value: dimensionValue(record.template) }, ...extra];
      return [
        { MetricName: SCORE_METRIC, Dimensions, Timestamp: timestamp, Value: record.score, Unit: "None" as const },
        { MetricName: QUALITY_METRIC, Dimensions, Timestamp: timestamp, Value: record.quality, Unit: "None" as const },
        { MetricName: PENALTY_METRIC, Dimensions, Timestamp: timestamp, Value: record.complexity.penalty, Unit: "None" as const },
      ];
    });
    for (let i = 0; i < data.length; i += BATCH) {
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + BATCH) }));
    }
    log(`Published ${records.length} fitness score${records.length === 1 ? "" : "s"} to CloudWatch namespace ${namespace} (${region}).`);
    return { published: data.length, skipped: null };
  } finally {
    client.destroy();
  }
}
