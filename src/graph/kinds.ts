import { table, type Table } from "../tables.js";
import type { NodeKind } from "./types.js";

/**
 * Which CloudFormation / SAM resource types are nodes of the event graph, and
 * of which kind. Types not listed here are either helpers that become edges
 * (HELPER_TYPES) or infrastructure that stays out of the graph unless an edge
 * touches it (then kind "other").
 */
export const NODE_KINDS: ReadonlyMap<string, NodeKind> = new Map<string, NodeKind>([
  ["AWS::Serverless::Function", "function"],
  ["AWS::Lambda::Function", "function"],
  ["AWS::Serverless::StateMachine", "state-machine"],
  ["AWS::StepFunctions::StateMachine", "state-machine"],
  ["AWS::Serverless::Api", "api"],
  ["AWS::Serverless::HttpApi", "api"],
  ["AWS::ApiGateway::RestApi", "api"],
  ["AWS::ApiGatewayV2::Api", "api"],
  ["AWS::Serverless::WebSocketApi", "api"],
  ["AWS::Serverless::GraphQLApi", "graphql-api"],
  ["AWS::AppSync::GraphQLApi", "graphql-api"],
  ["AWS::Serverless::SimpleTable", "table"],
  ["AWS::DynamoDB::Table", "table"],
  ["AWS::DynamoDB::GlobalTable", "table"],
  ["AWS::S3::Bucket", "bucket"],
  ["AWS::SQS::Queue", "queue"],
  ["AWS::SNS::Topic", "topic"],
  ["AWS::Kinesis::Stream", "stream"],
  ["AWS::KinesisFirehose::DeliveryStream", "stream"],
  ["AWS::Events::EventBus", "event-bus"],
  ["AWS::Events::Rule", "rule"],
  ["AWS::Scheduler::Schedule", "schedule"],
  ["AWS::Logs::LogGroup", "log-group"],
  ["AWS::Serverless::LayerVersion", "layer"],
  ["AWS::Lambda::LayerVersion", "layer"],
  ["AWS::Cognito::UserPool", "user-pool"],
  ["AWS::CloudWatch::Alarm", "alarm"],
  ["AWS::CloudWatch::CompositeAlarm", "alarm"],
  ["AWS::SecretsManager::Secret", "secret"],
  ["AWS::KMS::Key", "key"],
  ["AWS::SSM::Parameter", "parameter-store"],
  ["AWS::MSK::Cluster", "cluster"],
  ["AWS::MSK::ServerlessCluster", "cluster"],
  ["AWS::AmazonMQ::Broker", "cluster"],
  ["AWS::DocDB::DBCluster", "database"],
  ["AWS::RDS::DBCluster", "database"],
  ["AWS::RDS::DBInstance", "database"],
  ["AWS::ElastiCache::CacheCluster", "cache"],
  ["AWS::ElastiCache::ReplicationGroup", "cache"],
  ["AWS::ElastiCache::ServerlessCache", "cache"],
  ["AWS::EFS::FileSystem", "file-system"],
  ["AWS::IoT::TopicRule", "iot-rule"],
  ["AWS::Pipes::Pipe", "pipe"],
  ["AWS::CodePipeline::Pipeline", "pipeline"],
  ["AWS::Serverless::Application", "stack"],
  ["AWS::CloudFormation::Stack", "stack"],
]);

/**
 * Resources that wire other resources together. They are never nodes: the
 * graph builder turns them into edges between the resources they connect,
 * so a SAM template and its translated CloudFormation give the same graph.
 */
export const HELPER_TYPES: ReadonlySet<string> = new Set([
  "AWS::Lambda::Permission",
  "AWS::Lambda::EventSourceMapping",
  "AWS::Lambda::EventInvokeConfig",
  "AWS::Lambda::Version",
  "AWS::Lambda::Alias",
  "AWS::Lambda::Url",
  "AWS::IAM::Role",
  "AWS::IAM::Policy",
  "AWS::IAM::ManagedPolicy",
  "AWS::SNS::Subscription",
  "AWS::SNS::TopicPolicy",
  "AWS::SQS::QueuePolicy",
  "AWS::S3::BucketPolicy",
  "AWS::Serverless::Connector",
  "AWS::ApiGateway::Deployment",
  "AWS::ApiGateway::Stage",
  "AWS::ApiGateway::Method",
  "AWS::ApiGateway::Resource",
  "AWS::ApiGatewayV2::Integration",
  "AWS::ApiGatewayV2::Route",
  "AWS::ApiGatewayV2::Stage",
  "AWS::Logs::SubscriptionFilter",
  "AWS::CodeDeploy::DeploymentGroup",
  "AWS::CodeDeploy::Application",
  "AWS::StepFunctions::StateMachineVersion",
  "AWS::StepFunctions::StateMachineAlias",
  "AWS::AppSync::DataSource",
  "AWS::AppSync::Resolver",
  "AWS::AppSync::FunctionConfiguration",
  "AWS::Kinesis::StreamConsumer",
]);

/**
 * What a `${Service}` in an ARN (`arn:aws:sqs:...`) or a parameter type says
 * about an external node's kind.
 */
export const ARN_SERVICE_KINDS: Table<NodeKind> = table<NodeKind>({
  lambda: "function",
  states: "state-machine",
  dynamodb: "table",
  s3: "bucket",
  sqs: "queue",
  sns: "topic",
  kinesis: "stream",
  firehose: "stream",
  events: "event-bus",
  logs: "log-group",
  "cognito-idp": "user-pool",
  secretsmanager: "secret",
  kms: "key",
  ssm: "parameter-store",
  kafka: "cluster",
  mq: "cluster",
  rds: "database",
  "execute-api": "api",
  apigateway: "api",
  appsync: "graphql-api",
});

export function kindOfType(type: string): NodeKind | undefined {
  return NODE_KINDS.get(type);
}
