import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PENALTY_METRIC, QUALITY_METRIC, SCORE_METRIC, publishScoreMetric } from "../../src/history/cloudwatch.js";
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

function motoServerPath(): string | null {
  const found = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

const MOTO = motoServerPath();
const MISSING = "CloudWatch PutMetricData integration test needs moto_server on PATH (pip install 'moto[server]')";
if (!MOTO) console.warn(`SKIPPED: ${MISSING}.`);

// Where moto_server must be there (CI), set REQUIRE_MOTO_SERVER=1 to fail instead of skipping.
it.runIf(!MOTO && process.env["REQUIRE_MOTO_SERVER"] === "1")("moto_server is installed", () => {
  expect.fail(`${MISSING}, and REQUIRE_MOTO_SERVER=1 is set.`);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!MOTO)("publishScoreMetric against moto_server", () => {
  let moto: ChildProcess | null = null;
  let endpoint = "";
  let output = "";

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    // Its own process group, so that stopping it stops whatever it started and nothing else.
    moto = spawn(MOTO as string, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    moto.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    moto.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 45_000;
    for (;;) {
      try {
        const response = await fetch(`${endpoint}/moto-api/`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || moto.exitCode !== null) throw new Error(`moto_server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(() => {
    if (moto?.pid !== undefined && moto.exitCode === null) {
      try {
        process.kill(-moto.pid, "SIGTERM");
      } catch {
        moto.kill("SIGTERM");
      }
    }
  });

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
