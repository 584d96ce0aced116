/** Hostile inputs: template text built to break diagrams and markdown, and a very large template. */

/** A logical ID carrying every trick the report must neutralise. */
export const EVIL_ID =
  "Evil\"]-->B%%{init: {'theme':'dark'}}%% click B href 'javascript:alert(1)' <script>alert(1)</script> </details> @org/team `x` | a | b";

/** YAML double-quoted form of a string. */
function yamlQuoted(text: string): string {
  return JSON.stringify(text);
}

/** A SAM template whose logical IDs and event names are hostile; the queue triggers the function. */
export function hostileTemplate(): string {
  return [
    "Transform: AWS::Serverless-2016-10-31",
    "Resources:",
    `  ${yamlQuoted(EVIL_ID)}:`,
    "    Type: AWS::SQS::Queue",
    `  ${yamlQuoted("Fn[(x)]{{y}}-->|z|")}:`,
    "    Type: AWS::Serverless::Function",
    "    Properties:",
    "      Runtime: nodejs8.10",
    "      Handler: a.b",
    "      CodeUri: .",
    "      Events:",
    `        ${yamlQuoted("Q<img src=x onerror=alert(1)>")}:`,
    "          Type: SQS",
    "          Properties:",
    `            Queue: !GetAtt ${yamlQuoted(EVIL_ID + ".Arn")}`,
    `  ${yamlQuoted("end")}:`,
    "    Type: AWS::S3::Bucket",
    `  ${yamlQuoted("%%{init: {\"securityLevel\": \"loose\"}}%%")}:`,
    "    Type: AWS::SNS::Topic",
    "",
  ].join("\n");
}

/** A template of `count` resources: functions each triggered by their own queue (count/2 trigger edges). */
export function hugeTemplate(count: number): string {
  const lines = ["Transform: AWS::Serverless-2016-10-31", "Resources:"];
  for (let i = 0; i < count / 2; i++) {
    lines.push(`  Queue${i}:`, "    Type: AWS::SQS::Queue");
    lines.push(
      `  Worker${i}:`,
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Runtime: nodejs20.x",
      "      Handler: index.handler",
      "      CodeUri: src/",
      "      Events:",
      "        Jobs:",
      "          Type: SQS",
      "          Properties:",
      `            Queue: !GetAtt Queue${i}.Arn`,
    );
  }
  return lines.join("\n") + "\n";
}
