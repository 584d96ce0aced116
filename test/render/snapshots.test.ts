/**
 * Whole reports for a few realistic base/head pairs, kept as files under
 * __snapshots__/ so a reviewer can read them as a PR author would see them.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderMermaid } from "../../src/render/mermaid.js";
import { renderText } from "../../src/render/text.js";
import { readCorpus } from "./helpers/corpus.js";
import { SEED, runCheck, seedFixReport, seedWithBucketFixed } from "./helpers/reports.js";

const link = (file: string, line: number): string => `https://github.com/acme/orders/blob/4f2c9e1/${file}#L${line}`;

const DDB = "serverless-patterns/apigw-sqs-lambda-ddb__template.yaml";

function cut(text: string, piece: string): string {
  if (!text.includes(piece)) throw new Error(`corpus template changed: ${JSON.stringify(piece.slice(0, 60))} not found`);
  return text.replace(piece, "");
}

/** The pattern before its dead-letter queue was added: the PR adds the DLQ, the redrive policy and the send permission. */
function withoutDeadLetterQueue(): string {
  let text = readCorpus(DDB);
  text = cut(text, "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn\n        maxReceiveCount: 5\n");
  text = cut(text, "  # SQS DLQ\n  DeadLetterQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: DeadLetterQueue\n      SqsManagedSseEnabled: true\n");
  text = cut(text, '              - Effect: Allow\n                Action:\n                  - "sqs:SendMessage"\n                Resource: !GetAtt DeadLetterQueue.Arn\n');
  return text;
}

/** The seed with a new, unencrypted queue feeding a new function: a PR that makes things worse. */
function seedWithNewWorker(): string {
  return readCorpus(SEED).replace(
    "\nOutputs:",
    [
      "  jobsQueue:",
      "    Type: AWS::SQS::Queue",
      "",
      "  jobWorker:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Handler: worker.handler",
      "      CodeUri: src/",
      "      Runtime: nodejs20.x",
      "      Events:",
      "        Jobs:",
      "          Type: SQS",
      "          Properties:",
      "            Queue: !GetAtt jobsQueue.Arn",
      "      Policies:",
      "        - DynamoDBCrudPolicy:",
      "            TableName: !Ref unencryptedTable",
      "",
      "Outputs:",
    ].join("\n"),
  );
}

describe("report snapshots", () => {
  it("seed template, unencrypted bucket fixed", async () => {
    const rep = seedFixReport();
    await expect(renderMarkdown(rep, { link, baseLabel: "main" })).toMatchFileSnapshot("__snapshots__/seed-bucket-fixed.md");
    await expect(renderText(rep)).toMatchFileSnapshot("__snapshots__/seed-bucket-fixed.txt");
  });

  it("seed template, a new worker added (score goes down, gate fails)", async () => {
    const rep = runCheck([{ file: "template.yaml", head: seedWithNewWorker(), base: readCorpus(SEED) }], { maxDecrease: 1 });
    await expect(renderMarkdown(rep, { link, baseLabel: "main" })).toMatchFileSnapshot("__snapshots__/seed-new-worker.md");
  });

  it("SQS pattern gaining a dead-letter queue: diagram diff", async () => {
    const rep = runCheck([{ file: "template.yaml", head: readCorpus(DDB), base: withoutDeadLetterQueue() }]);
    const t = rep.templates[0]!;
    await expect(renderMarkdown(rep, { baseLabel: "main" })).toMatchFileSnapshot("__snapshots__/sqs-dead-letter-queue.md");
    await expect(renderMermaid(t.graph!, { base: t.baseGraph }).text).toMatchFileSnapshot("__snapshots__/sqs-dead-letter-queue.mmd");
  });

  it("three templates: one fixed, one added, one deleted", async () => {
    const rep = runCheck(
      [
        { file: "services/orders/template.yaml", head: seedWithBucketFixed(), base: readCorpus(SEED) },
        { file: "services/ingest/template.yaml", head: readCorpus(DDB), base: null },
        { file: "services/legacy/template.yaml", head: null, base: withoutDeadLetterQueue() },
      ],
      { threshold: 40 },
    );
    await expect(renderMarkdown(rep, { link, baseLabel: "main", trend: "_Trend on main: 38.2 → 41.6 → 45.3 (last 3 runs)_" })).toMatchFileSnapshot(
      "__snapshots__/three-templates.md",
    );
  });
});
