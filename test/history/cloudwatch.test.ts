import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PENALTY_METRIC, QUALITY_METRIC, SCORE_METRIC, publishScoreMetric } from "../../src/history/cloudwatch.js";
import { MOTO_SERVER, requireMotoTest, startMoto } from "../support/moto.js";
import type { MotoServer } from "../support/moto.js";
import { record } from "./fixtures.js";

const AWS_VARIABLES = [
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
  "AWS_EC2_METADATA_DISABLED", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
];
let saved: Record<string, string | undefined> = {};

/** An environment with no AWS credentials anywhere, and no instance metadata lookups (they would leave this machine). */
function bareAwsEnvironment(): void {
  for (const name of AWS_VARIABLES) delete process.env[name];
  process.env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/sam-fitness/credentials";
  process.env["AWS_CONFIG_FILE"] = "/nonexistent/sam-fitness/config";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
}

beforeEach(() => {
  saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  bareAwsEnvironment();
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("publishScoreMetric without AWS", () => {
  it("skips with a notice when there are no credentials", async () => {
    process.env["AWS_REGION"] = "eu-west-1";
    process.env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
    const notices: string[] = [];
    const result = await publishScoreMetric([record("a", 50)], { namespace: "SamFitness", log: (m) => notices.push(m) });
    expect(result).toEqual({ published: 0, skipped: "no AWS credentials were found" });
    expect(notices).toEqual(["CloudWatch metrics not published: no AWS credentials were found."]);
  });

  it("skips with a notice when no region is set", async () => {
    const notices: string[] = [];
    const result = await publishScoreMetric([record("a", 50)], { namespace: "SamFitness", log: (m) => notices.push(m) });
    expect(result.skipped).toBe("no AWS region is set (AWS_REGION)");
    expect(notices).toHaveLength(1);
  });
});

const MOTO = MOTO_SERVER;
requireMotoTest("The CloudWatch PutMetricData integration test");

describe.skipIf(!MOTO)("publishScoreMetric against moto_server", () => {
  let moto: MotoServer | null = null;
  let endpoint = "";

  beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
  });

  afterAll(() => moto?.stop());

  function useMoto(): CloudWatchClient {
    process.env["AWS_ACCESS_KEY_ID"] = "testing";
    process.env["AWS_SECRET_ACCESS_KEY"] = "testing";
    process.env["AWS_REGION"] = "us-east-1";
    process.env["AWS_ENDPOINT_URL"] = endpoint;
    return new CloudWatchClient({ region: "us-east-1", endpoint });
  }

  it("puts score, quality and complexity penalty per template, honouring AWS_ENDPOINT_URL", async () => {
    const client = useMoto();
    const records = [record("abc", 71.25, { template: "app/template.yaml" }), record("abc", 40, { template: "other.yaml" })];
    const notices: string[] = [];
    const result = await publishScoreMetric(records, { namespace: "SamFitness/Test", dimensions: { Repository: "octo/app" }, log: (m) => notices.push(m) });
    expect(result).toEqual({ published: 6, skipped: null });
    expect(notices).toEqual(["Published 2 fitness scores to CloudWatch namespace SamFitness/Test (us-east-1)."]);

    const listed = await client.send(new ListMetricsCommand({ Namespace: "SamFitness/Test" }));
    const seen = (listed.Metrics ?? [])
      .map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort().join(",")}`)
      .sort();
    expect(seen).toEqual(
      [SCORE_METRIC, QUALITY_METRIC, PENALTY_METRIC]
        .flatMap((metric) => [`${metric} Repository=octo/app,Template=app/template.yaml`, `${metric} Repository=octo/app,Template=other.yaml`])
        .sort(),
    );

    const now = Date.now();
    const stats = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: "SamFitness/Test",
        MetricName: SCORE_METRIC,
        Dimensions: [{ Name: "Template", Value: "app/template.yaml" }, { Name: "Repository", Value: "octo/app" }],
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 3_600_000),
        Period: 60,
        Statistics: ["Maximum"],
      }),
    );
    expect(stats.Datapoints?.map((d) => d.Maximum)).toEqual([71.25]);
    client.destroy();
  });

  it("sends more data points than one call takes in several calls", async () => {
    const client = useMoto();
    const records = Array.from({ length: 9 }, (_, i) => record("def", i, { template: `t${i}.yaml` }));
    const result = await publishScoreMetric(records, { namespace: "SamFitness/Batch", log: () => undefined });
    expect(result.published).toBe(27);
    const listed = await client.send(new ListMetricsCommand({ Namespace: "SamFitness/Batch", MetricName: SCORE_METRIC }));
    expect(listed.Metrics).toHaveLength(9);
    client.destroy();
  });
});
