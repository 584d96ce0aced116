import type { Rule } from "../src/fitness/types.js";
import { apiGwAccessLoggingEnabled } from "./api-gw-access-logging-enabled.js";
import { apiGwAuthorizationConfigured } from "./api-gw-authorization-configured.js";
import { apiGwExecutionLoggingEnabled } from "./api-gw-execution-logging-enabled.js";
import { apiGwXrayEnabled } from "./api-gw-xray-enabled.js";
import { cloudwatchLogGroupEncrypted } from "./cloudwatch-log-group-encrypted.js";
import { dynamodbAutoscalingEnabled } from "./dynamodb-autoscaling-enabled.js";
import { dynamodbPitrEnabled } from "./dynamodb-pitr-enabled.js";
import { dynamodbTableEncryptedKms } from "./dynamodb-table-encrypted-kms.js";
import { eventbridgeRuleTargetDlq } from "./eventbridge-rule-target-dlq.js";
import { kinesisStreamEncrypted } from "./kinesis-stream-encrypted.js";
import { lambdaDlqCheck } from "./lambda-dlq-check.js";
import { lambdaFunctionPublicAccessProhibited } from "./lambda-function-public-access-prohibited.js";
import { lambdaFunctionSettingsCheck } from "./lambda-function-settings-check.js";
import { lambdaFunctionXrayEnabled } from "./lambda-function-xray-enabled.js";
import { lambdaRuntimeSupported } from "./lambda-runtime-supported.js";
import { s3BucketLoggingEnabled } from "./s3-bucket-logging-enabled.js";
import { s3BucketPublicReadProhibited } from "./s3-bucket-public-read-prohibited.js";
import { s3BucketPublicWriteProhibited } from "./s3-bucket-public-write-prohibited.js";
import { s3BucketReplicationEnabled } from "./s3-bucket-replication-enabled.js";
import { s3BucketServerSideEncryptionEnabled } from "./s3-bucket-server-side-encryption-enabled.js";
import { s3BucketSslRequestsOnly } from "./s3-bucket-ssl-requests-only.js";
import { s3BucketVersioningEnabled } from "./s3-bucket-versioning-enabled.js";
import { safeDeployments } from "./safe-deployments.js";
import { snsEncryptedKms } from "./sns-encrypted-kms.js";
import { sqsQueueDlqCheck } from "./sqs-queue-dlq-check.js";
import { sqsQueueEncrypted } from "./sqs-queue-encrypted.js";

/** The built-in rules, grouped by service. Ids are unique (a test checks it). */
export const BUILTIN_RULES: readonly Rule[] = [
  s3BucketServerSideEncryptionEnabled,
  s3BucketSslRequestsOnly,
  s3BucketPublicReadProhibited,
  s3BucketPublicWriteProhibited,
  s3BucketVersioningEnabled,
  s3BucketLoggingEnabled,
  s3BucketReplicationEnabled,
  dynamodbTableEncryptedKms,
  dynamodbPitrEnabled,
  dynamodbAutoscalingEnabled,
  sqsQueueEncrypted,
  sqsQueueDlqCheck,
  snsEncryptedKms,
  kinesisStreamEncrypted,
  cloudwatchLogGroupEncrypted,
  eventbridgeRuleTargetDlq,
  lambdaFunctionPublicAccessProhibited,
  lambdaRuntimeSupported,
  lambdaDlqCheck,
  lambdaFunctionXrayEnabled,
  lambdaFunctionSettingsCheck,
  safeDeployments,
  apiGwAuthorizationConfigured,
  apiGwAccessLoggingEnabled,
  apiGwExecutionLoggingEnabled,
  apiGwXrayEnabled,
];

export const BUILTIN_RULE_IDS: ReadonlySet<string> = new Set(BUILTIN_RULES.map((r) => r.id));
