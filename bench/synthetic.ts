/**
 * A synthetic SAM application of `n` resources: functions triggered by
 * queues, writing to tables, publishing to topics (a quarter each), so the
 * graph has as many edges as a real application of that size.
 */
export function synthetic(n: number): string {
  const lines = ["Transform: AWS::Serverless-2016-10-31", "Globals:", "  Function:", "    Runtime: nodejs20.x", "    Timeout: 10", "Resources:"];
  const groups = Math.max(1, Math.floor(n / 4));
  for (let i = 0; i < groups; i++) {
    lines.push(
      `  Queue${i}:`,
      "    Type: AWS::SQS::Queue",
      `  Table${i}:`,
      "    Type: AWS::DynamoDB::Table",
      "    Properties:",
      "      BillingMode: PAY_PER_REQUEST",
      `  Topic${i}:`,
      "    Type: AWS::SNS::Topic",
      `  Fn${i}:`,
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Handler: index.handler",
      "      CodeUri: src/",
      "      Policies:",
      `        - DynamoDBCrudPolicy: { TableName: !Ref Table${i} }`,
      `        - SNSPublishMessagePolicy: { TopicName: !GetAtt Topic${i}.TopicName }`,
      "      Environment:",
      "        Variables:",
      `          TABLE: !Ref Table${i}`,
      "      Events:",
      "        Queue:",
      "          Type: SQS",
      "          Properties:",
      `            Queue: !GetAtt Queue${i}.Arn`,
    );
  }
  return lines.join("\n") + "\n";
}
