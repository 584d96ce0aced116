/*
 * GENERATED FILE, do not edit.
 *
 * Derived from the AWS SAM policy template definitions (policy_templates.json
 * of aws/serverless-application-model, Apache-2.0) by
 * scripts/gen-policy-templates.mjs. For each policy template: the parameters
 * that name a resource it grants access to, and the access its actions give
 * there (classified by src/graph/extract/access/actions.ts).
 *
 * Regenerate: node scripts/gen-policy-templates.mjs [path/to/policy_templates.json]
 * (default: ../shared/corpus/sam-translator/policy_templates.json).
 */
import { table, type Table } from "../tables.js";
import type { Access } from "./extract/access/actions.js";

export const POLICY_TEMPLATES_VERSION = "0.0.1";

type AccessByParameter = Readonly<Record<string, readonly Access[]>>;

/** By policy template name, a name from the template: read with `get` (see src/tables.ts). */
export const POLICY_TEMPLATES: Table<AccessByParameter> = table<AccessByParameter>({
  "AMIDescribePolicy": {},
  "AWSSecretsManagerGetSecretValuePolicy": { "SecretArn": ["read"] },
  "AWSSecretsManagerRotationPolicy": {},
  "AcmGetCertificatePolicy": { "CertificateArn": ["read"] },
  "AthenaQueryPolicy": { "WorkGroupName": ["read", "write"] },
  "CloudFormationDescribeStacksPolicy": {},
  "CloudWatchDashboardPolicy": {},
  "CloudWatchDescribeAlarmHistoryPolicy": {},
  "CloudWatchPutMetricPolicy": {},
  "CodeCommitCrudPolicy": { "RepositoryName": ["read", "write"] },
  "CodeCommitReadPolicy": { "RepositoryName": ["read"] },
  "CodePipelineLambdaExecutionPolicy": {},
  "CodePipelineReadOnlyPolicy": { "PipelineName": ["read"] },
  "ComprehendBasicAccessPolicy": {},
  "CostExplorerReadOnlyPolicy": {},
  "DynamoDBBackupFullAccessPolicy": { "TableName": ["read", "write"] },
  "DynamoDBCrudPolicy": { "TableName": ["read", "write"] },
  "DynamoDBReadPolicy": { "TableName": ["read"] },
  "DynamoDBReconfigurePolicy": { "TableName": ["write"] },
  "DynamoDBRestoreFromBackupPolicy": { "TableName": ["read", "write"] },
  "DynamoDBStreamReadPolicy": { "StreamName": ["read"], "TableName": ["read"] },
  "DynamoDBWritePolicy": { "TableName": ["write"] },
  "EC2CopyImagePolicy": { "ImageId": ["write"] },
  "EC2DescribePolicy": {},
  "EFSWriteAccessPolicy": { "FileSystem": ["read", "write"] },
  "EKSDescribePolicy": {},
  "EcsRunTaskPolicy": { "TaskDefinition": ["write"] },
  "ElasticMapReduceAddJobFlowStepsPolicy": { "ClusterId": ["write"] },
  "ElasticMapReduceCancelStepsPolicy": { "ClusterId": ["write"] },
  "ElasticMapReduceModifyInstanceFleetPolicy": { "ClusterId": ["read", "write"] },
  "ElasticMapReduceModifyInstanceGroupsPolicy": { "ClusterId": ["read", "write"] },
  "ElasticMapReduceSetTerminationProtectionPolicy": { "ClusterId": ["write"] },
  "ElasticMapReduceTerminateJobFlowsPolicy": { "ClusterId": ["write"] },
  "ElasticsearchHttpPostPolicy": { "DomainName": ["write"] },
  "EventBridgePutEventsPolicy": { "EventBusName": ["write"] },
  "FilterLogEventsPolicy": { "LogGroupName": ["read"] },
  "FirehoseCrudPolicy": { "DeliveryStreamName": ["read", "write"] },
  "FirehoseWritePolicy": { "DeliveryStreamName": ["write"] },
  "KMSDecryptPolicy": { "KeyId": ["read"] },
  "KMSEncryptPolicy": { "KeyId": ["read"] },
  "KMSEncryptPolicy_v2": { "KeyId": ["read"] },
  "KinesisCrudPolicy": { "StreamName": ["read", "write"] },
  "KinesisStreamReadPolicy": { "StreamName": ["read"] },
  "LambdaInvokePolicy": { "FunctionName": ["invoke"] },
  "MobileAnalyticsWriteOnlyAccessPolicy": {},
  "OrganizationsListAccountsPolicy": {},
  "PinpointEndpointAccessPolicy": { "PinpointApplicationId": ["read", "write"] },
  "PollyFullAccessPolicy": { "LexiconName": ["read", "write"] },
  "RekognitionDetectOnlyPolicy": {},
  "RekognitionFacesManagementPolicy": { "CollectionId": ["read", "write"] },
  "RekognitionFacesPolicy": {},
  "RekognitionLabelsPolicy": {},
  "RekognitionNoDataAccessPolicy": { "CollectionId": ["read"] },
  "RekognitionReadPolicy": { "CollectionId": ["read"] },
  "RekognitionWriteOnlyAccessPolicy": { "CollectionId": ["write"] },
  "Route53ChangeResourceRecordSetsPolicy": { "HostedZoneId": ["write"] },
  "S3CrudPolicy": { "BucketName": ["read", "write"] },
  "S3FullAccessPolicy": { "BucketName": ["read", "write"] },
  "S3ReadPolicy": { "BucketName": ["read"] },
  "S3WritePolicy": { "BucketName": ["write"] },
  "SESBulkTemplatedCrudPolicy": { "IdentityName": ["read", "write"] },
  "SESBulkTemplatedCrudPolicy_v2": { "IdentityName": ["write"], "TemplateName": ["write"] },
  "SESCrudPolicy": { "IdentityName": ["read", "write"] },
  "SESEmailTemplateCrudPolicy": {},
  "SESSendBouncePolicy": { "IdentityName": ["write"] },
  "SNSCrudPolicy": { "TopicName": ["read", "write"] },
  "SNSPublishMessagePolicy": { "TopicName": ["write"] },
  "SQSPollerPolicy": { "QueueName": ["read"] },
  "SQSSendMessagePolicy": { "QueueName": ["write"] },
  "SSMParameterReadPolicy": { "ParameterName": ["read"] },
  "SSMParameterWithSlashPrefixReadPolicy": { "ParameterName": ["read"] },
  "SageMakerCreateEndpointConfigPolicy": { "EndpointConfigName": ["write"] },
  "SageMakerCreateEndpointPolicy": { "EndpointName": ["write"] },
  "ServerlessRepoReadWriteAccessPolicy": {},
  "StepFunctionsCallbackPolicy": { "StateMachineName": ["write"] },
  "StepFunctionsExecutionPolicy": { "StateMachineName": ["invoke"] },
  "StepFunctionsExecutionPolicy_v2": { "StateMachineName": ["invoke"] },
  "TextractDetectAnalyzePolicy": {},
  "TextractGetResultPolicy": {},
  "TextractPolicy": {},
  "VPCAccessPolicy": {},
});
