/**
 * Facts about resource types the live check needs: what a SAM resource
 * becomes when deployed, which types hold data, which properties force a
 * replacement, and how AWS Config names a deployed resource.
 */

/** SAM resource types and the CloudFormation type deployed under the same logical ID. */
export const SAM_DEPLOYED_TYPE: ReadonlyMap<string, string> = new Map([
  ["AWS::Serverless::Function", "AWS::Lambda::Function"],
  ["AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table"],
  ["AWS::Serverless::Api", "AWS::ApiGateway::RestApi"],
  ["AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"],
  ["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"],
  ["AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"],
  ["AWS::Serverless::Application", "AWS::CloudFormation::Stack"],
  ["AWS::Serverless::GraphQLApi", "AWS::AppSync::GraphQLApi"],
  ["AWS::Serverless::WebSocketApi", "AWS::ApiGatewayV2::Api"],
  ["AWS::Serverless::CapacityProvider", "AWS::Lambda::CapacityProvider"],
]);

/** SAM types that leave no resource under their own logical ID. */
export const SAM_WITHOUT_OWN_RESOURCE: ReadonlySet<string> = new Set(["AWS::Serverless::Connector"]);

/** SAM types whose deployed logical ID carries a content hash suffix (`MyLayer` -> `MyLayer0123456789`). */
export const SAM_HASHED_ID: ReadonlySet<string> = new Set(["AWS::Serverless::LayerVersion"]);

/**
 * Whether a template resource makes the SAM transform generate more
 * resources named after its logical ID (`MyFunctionRole`, `MyApiProdStage`):
 * every SAM resource, and any resource with embedded `Connectors`.
 */
export function generatesResources(type: string, raw: Readonly<Record<string, unknown>>): boolean {
  if (type.startsWith("AWS::Serverless::")) return true;
  return raw["Connectors"] !== undefined;
}

/** Logical IDs the SAM transform creates for the whole template (implicit APIs, CodeDeploy). */
export const SAM_IMPLICIT_PREFIXES: readonly string[] = [
  "ServerlessRestApi",
  "ServerlessHttpApi",
  "ServerlessDeploymentApplication",
  "CodeDeployServiceRole",
  "ServerlessApiKey",
  "ServerlessUsagePlan",
  "ApiGatewayDomainName",
  "DomainNameAccessAssociation",
  "RecordSetGroup",
];

/** Deployed types that hold data which deleting the resource loses. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  "AWS::S3::Bucket",
  "AWS::DynamoDB::Table",
  "AWS::DynamoDB::GlobalTable",
  "AWS::SQS::Queue",
  "AWS::Kinesis::Stream",
  "AWS::KinesisFirehose::DeliveryStream",
  "AWS::Logs::LogGroup",
  "AWS::KMS::Key",
  "AWS::SecretsManager::Secret",
  "AWS::Cognito::UserPool",
  "AWS::RDS::DBInstance",
  "AWS::RDS::DBCluster",
  "AWS::DocDB::DBCluster",
  "AWS::EFS::FileSystem",
  "AWS::ElastiCache::ReplicationGroup",
  "AWS::ElastiCache::CacheCluster",
  "AWS::ElastiCache::ServerlessCache",
  "AWS::OpenSearchService::Domain",
  "AWS::Elasticsearch::Domain",
  "AWS::Timestream::Table",
  "AWS::Backup::BackupVault",
  "AWS::ECR::Repository",
  "AWS::SSM::Parameter",
]);

/** Deletion policies that keep the data when CloudFormation deletes the resource. */
export const RETAINING_POLICIES: ReadonlySet<string> = new Set(["Retain", "RetainExceptOnCreate", "Snapshot"]);

/**
 * Properties whose change replaces the resource (CloudFormation "Update
 * requires: Replacement"), per deployed type. A short list of the ones that
 * templates commonly change.
 */
export const REPLACEMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  "AWS::S3::Bucket": ["BucketName", "ObjectLockEnabled"],
  "AWS::DynamoDB::Table": ["TableName", "KeySchema", "LocalSecondaryIndexes"],
  "AWS::SQS::Queue": ["QueueName", "FifoQueue"],
  "AWS::SNS::Topic": ["TopicName", "FifoTopic"],
  "AWS::Lambda::Function": ["FunctionName"],
  "AWS::Kinesis::Stream": ["Name"],
  "AWS::Logs::LogGroup": ["LogGroupName"],
  "AWS::Events::EventBus": ["Name"],
  "AWS::Events::Rule": ["Name", "EventBusName"],
  "AWS::StepFunctions::StateMachine": ["StateMachineName", "StateMachineType"],
  "AWS::KMS::Key": ["KeySpec"],
  "AWS::SecretsManager::Secret": ["Name"],
  "AWS::Cognito::UserPool": ["UserPoolName", "AliasAttributes", "UsernameAttributes"],
  "AWS::ApiGateway::RestApi": [],
};

/** How SAM property names read once deployed, where they differ. */
export const SAM_PROPERTY_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "AWS::Serverless::Function": { FunctionName: "FunctionName" },
  "AWS::Serverless::SimpleTable": { TableName: "TableName" },
  "AWS::Serverless::StateMachine": { Name: "StateMachineName", Type: "StateMachineType" },
};

/**
 * Deployed types AWS Config evaluates whose Config resource ID is the
 * CloudFormation physical ID (bucket name, function name, table name, topic
 * ARN, queue URL, ...). Other types (IAM roles, whose Config ID is the role's
 * unique ID; API Gateway stages, named by ARN) are not queried.
 */
export const CONFIG_QUERYABLE_TYPES: ReadonlySet<string> = new Set([
  "AWS::S3::Bucket",
  "AWS::DynamoDB::Table",
  "AWS::Lambda::Function",
  "AWS::SNS::Topic",
  "AWS::SQS::Queue",
  "AWS::Kinesis::Stream",
  "AWS::ApiGateway::RestApi",
  "AWS::ApiGatewayV2::Api",
  "AWS::StepFunctions::StateMachine",
  "AWS::KMS::Key",
  "AWS::SecretsManager::Secret",
  "AWS::EFS::FileSystem",
  "AWS::Events::EventBus",
]);

/** The type a template resource has once deployed. */
export function deployedTypeOf(templateType: string): string {
  return SAM_DEPLOYED_TYPE.get(templateType) ?? templateType;
}
