import { describe, expect, it } from "vitest";
import { cloudwatchLogGroupEncrypted } from "../../rules/cloudwatch-log-group-encrypted.js";
import { dynamodbAutoscalingEnabled } from "../../rules/dynamodb-autoscaling-enabled.js";
import { dynamodbPitrEnabled } from "../../rules/dynamodb-pitr-enabled.js";
import { dynamodbTableEncryptedKms } from "../../rules/dynamodb-table-encrypted-kms.js";
import { eventbridgeRuleTargetDlq } from "../../rules/eventbridge-rule-target-dlq.js";
import { kinesisStreamEncrypted } from "../../rules/kinesis-stream-encrypted.js";
import { snsEncryptedKms } from "../../rules/sns-encrypted-kms.js";
import { sqsQueueDlqCheck } from "../../rules/sqs-queue-dlq-check.js";
import { sqsQueueEncrypted } from "../../rules/sqs-queue-encrypted.js";
import { byResource, corpusContext, judge, SAM, scoreOf } from "./helpers.js";

const TABLES = `${SAM}Parameters:
  Sse: { Type: String }
Conditions:
  Prod: !Equals [!Ref AWS::StackName, prod]
Resources:
  Simple:
    Type: AWS::Serverless::SimpleTable
  SimpleSse:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification: { SSEEnabled: true }
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
  OnDemand:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      SSESpecification: { SSEEnabled: !Ref Sse }
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: !If [Prod, true, false] }
  Provisioned:
    Type: AWS::DynamoDB::Table
    Properties:
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      SSESpecification: { SSEEnabled: "false" }
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }
  Scaled:
    Type: AWS::DynamoDB::Table
    Properties:
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
  ScaledTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Sub table/\${Scaled}
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      MinCapacity: 1
      MaxCapacity: 10
`;

describe("dynamodb rules", () => {
  it("encryption: SimpleTable has no SSE by default; SSEEnabled true passes in SAM and CloudFormation; a parameter without default is unknown", () => {
    const f = judge(dynamodbTableEncryptedKms, TABLES);
    expect(scoreOf(f, "Simple")).toBe(0);
    expect(scoreOf(f, "SimpleSse")).toBe(1);
    expect(scoreOf(f, "Provisioned")).toBe(0);
    expect(scoreOf(f, "OnDemand")).toBe(0.5);
    expect(f.get("OnDemand")?.message).toMatch(/parameter Sse/);
  });

  it("encryption through a parameter's Default (translator corpus, SAM input and translated output)", () => {
    for (const file of ["sam-translator/input/simple_table_ref_parameter_intrinsic.yaml", "sam-translator/output/simple_table_ref_parameter_intrinsic.json"]) {
      const f = byResource(dynamodbTableEncryptedKms.evaluate(corpusContext(file)));
      expect(scoreOf(f, "MinimalTableRefParamLongForm")).toBe(1);
    }
  });

  it("the seed's encrypted table passes, the unencrypted one fails", () => {
    const f = byResource(dynamodbTableEncryptedKms.evaluate(corpusContext("seed/evolutionary-template.yaml")));
    expect(scoreOf(f, "encryptedTable")).toBe(1);
    expect(scoreOf(f, "unencryptedTable")).toBe(0);
  });

  it("pitr: SimpleTable cannot have it; !If gives half credit", () => {
    const f = judge(dynamodbPitrEnabled, TABLES);
    expect(scoreOf(f, "Simple")).toBe(0);
    expect(scoreOf(f, "Provisioned")).toBe(1);
    expect(scoreOf(f, "OnDemand")).toBe(0.5);
  });

  it("autoscaling: on-demand (incl. SimpleTable default) or a scalable target passes, bare provisioned fails", () => {
    const f = judge(dynamodbAutoscalingEnabled, TABLES);
    expect(scoreOf(f, "Simple")).toBe(1);
    expect(scoreOf(f, "SimpleSse")).toBe(0);
    expect(scoreOf(f, "OnDemand")).toBe(1);
    expect(scoreOf(f, "Provisioned")).toBe(0);
    expect(scoreOf(f, "Scaled")).toBe(1);
  });
});

const MESSAGING = `Resources:
  Work:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Parking.Arn, maxReceiveCount: 3 }
  Parking:
    Type: AWS::SQS::Queue
    Properties: { SqsManagedSseEnabled: true }
  Loose:
    Type: AWS::SQS::Queue
    Properties: { SqsManagedSseEnabled: false }
  Topic:
    Type: AWS::SNS::Topic
    Properties: { KmsMasterKeyId: alias/aws/sns }
  OpenTopic:
    Type: AWS::SNS::Topic
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: { ShardCount: 1, StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis } }
  RawStream:
    Type: AWS::Kinesis::Stream
    Properties: { ShardCount: 1 }
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: { KmsKeyId: !GetAtt Key.Arn }
  PlainLogs:
    Type: AWS::Logs::LogGroup
  Key:
    Type: AWS::KMS::Key
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: a
          Arn: !GetAtt Work.Arn
          DeadLetterConfig: { Arn: !GetAtt Parking.Arn }
        - Id: b
          Arn: !GetAtt Loose.Arn
`;

describe("messaging and log rules", () => {
  it("sqs encryption: KMS or SSE-SQS pass, disabled fails", () => {
    const f = judge(sqsQueueEncrypted, MESSAGING);
    expect(scoreOf(f, "Work")).toBe(1);
    expect(scoreOf(f, "Parking")).toBe(1);
    expect(scoreOf(f, "Loose")).toBe(0);
  });

  it("sqs dlq: a queue with a redrive policy passes, one without fails, the DLQ itself is not judged", () => {
    const f = judge(sqsQueueDlqCheck, MESSAGING);
    expect(scoreOf(f, "Work")).toBe(1);
    expect(scoreOf(f, "Loose")).toBe(0);
    expect(f.has("Parking")).toBe(false);
  });

  it("sns, kinesis and log group encryption", () => {
    expect(scoreOf(judge(snsEncryptedKms, MESSAGING), "Topic")).toBe(1);
    expect(scoreOf(judge(snsEncryptedKms, MESSAGING), "OpenTopic")).toBe(0);
    expect(scoreOf(judge(kinesisStreamEncrypted, MESSAGING), "Stream")).toBe(1);
    expect(scoreOf(judge(kinesisStreamEncrypted, MESSAGING), "RawStream")).toBe(0);
    expect(scoreOf(judge(cloudwatchLogGroupEncrypted, MESSAGING), "Logs")).toBe(1);
    expect(scoreOf(judge(cloudwatchLogGroupEncrypted, MESSAGING), "PlainLogs")).toBe(0);
  });

  it("eventbridge targets: credit is the share of targets with a DLQ", () => {
    const f = judge(eventbridgeRuleTargetDlq, MESSAGING);
    expect(scoreOf(f, "Rule")).toBe(0.5);
    expect(f.get("Rule")?.line).toBe(39); // the target without DLQ
  });

  it("eventbridge: SAM events and their translated rules get the same verdict", () => {
    const input = byResource(eventbridgeRuleTargetDlq.evaluate(corpusContext("sam-translator/input/eventbridgerule_with_dlq.yaml")));
    const output = byResource(eventbridgeRuleTargetDlq.evaluate(corpusContext("sam-translator/output/eventbridgerule_with_dlq.json")));
    expect(scoreOf(input, "ScheduledFunctionSchedule")).toBe(1);
    expect(scoreOf(output, "ScheduledFunctionSchedule")).toBe(1);
  });
});
