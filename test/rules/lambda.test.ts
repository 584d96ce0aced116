import { describe, expect, it } from "vitest";
import { lambdaDlqCheck } from "../../rules/lambda-dlq-check.js";
import { lambdaFunctionPublicAccessProhibited } from "../../rules/lambda-function-public-access-prohibited.js";
import { lambdaFunctionSettingsCheck } from "../../rules/lambda-function-settings-check.js";
import { lambdaFunctionXrayEnabled } from "../../rules/lambda-function-xray-enabled.js";
import { lambdaRuntimeSupported } from "../../rules/lambda-runtime-supported.js";
import { byResource, contextOf, corpusContext, judge, SAM, scoreOf } from "./helpers.js";

const SAM_FUNCTIONS = `${SAM}Parameters:
  Tracing: { Type: String, AllowedValues: [Active, PassThrough] }
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Tracing: Active
Resources:
  Inherits:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      MemorySize: 256
  Overrides:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Runtime: python2.7
      Tracing: !Ref Tracing
      FunctionUrlConfig: { AuthType: NONE }
      Events:
        Upload:
          Type: S3
          Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
  Kept:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt Dlq.Arn }
      Events:
        Tick:
          Type: Schedule
          Properties: { Schedule: rate(1 hour) }
  Polled:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Events:
        Q:
          Type: SQS
          Properties: { Queue: !GetAtt Dlq.Arn }
  Image:
    Type: AWS::Serverless::Function
    Properties: { PackageType: Image, ImageUri: repo:tag }
  Uploads:
    Type: AWS::S3::Bucket
  Dlq:
    Type: AWS::SQS::Queue
`;

const CFN_FUNCTIONS = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs8.10
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: { ZipFile: "exports.handler = async () => 1" }
      TracingConfig: { Mode: Active }
      Timeout: 5
      MemorySize: 128
  Open:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: { ZipFile: "exports.handler = async () => 1" }
      DeadLetterConfig: { TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq }
  Everyone:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Open
      Principal: "*"
  FromTopic:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Fn.Arn
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{ Protocol: lambda, Endpoint: !GetAtt Fn.Arn }]
`;

describe("lambda rules", () => {
  it("x-ray: Globals count for SAM, TracingConfig for CloudFormation, a parameter's AllowedValues share the credit", () => {
    const sam = judge(lambdaFunctionXrayEnabled, SAM_FUNCTIONS);
    expect(scoreOf(sam, "Inherits")).toBe(1);
    expect(sam.get("Inherits")?.line).toBe(8); // the Globals line it inherits
    expect(scoreOf(sam, "Overrides")).toBe(0.5);
    const cfn = judge(lambdaFunctionXrayEnabled, CFN_FUNCTIONS);
    expect(scoreOf(cfn, "Fn")).toBe(1);
    expect(scoreOf(cfn, "Open")).toBe(0);
  });

  it("x-ray: a value read from SSM is unknown, not judged on the SSM parameter's name", () => {
    const f = judge(
      lambdaFunctionXrayEnabled,
      `${SAM}Parameters:
  Tr: { Type: "AWS::SSM::Parameter::Value<String>", Default: /app/tracing }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: a.b, CodeUri: s3://b/k, Tracing: !Ref Tr }
`,
    );
    expect(scoreOf(f, "Fn")).toBe(0.5);
    expect(f.get("Fn")?.message).toMatch(/SSM/);
  });

  it("settings: timeout and memory earn half each, Globals count", () => {
    const sam = judge(lambdaFunctionSettingsCheck, SAM_FUNCTIONS);
    expect(scoreOf(sam, "Inherits")).toBe(1);
    expect(scoreOf(sam, "Kept")).toBe(0.5);
    expect(sam.get("Kept")?.message).toMatch(/MemorySize/);
    const cfn = judge(lambdaFunctionSettingsCheck, CFN_FUNCTIONS);
    expect(scoreOf(cfn, "Fn")).toBe(1);
    expect(scoreOf(cfn, "Open")).toBe(0);
  });

  it("runtime: deprecated fails (own or inherited), supported passes, images are not judged", () => {
    const sam = judge(lambdaRuntimeSupported, SAM_FUNCTIONS);
    expect(scoreOf(sam, "Inherits")).toBe(1);
    expect(scoreOf(sam, "Overrides")).toBe(0);
    expect(sam.get("Overrides")?.message).toMatch(/python2\.7/);
    expect(sam.has("Image")).toBe(false);
    const cfn = judge(lambdaRuntimeSupported, CFN_FUNCTIONS);
    expect(scoreOf(cfn, "Fn")).toBe(0);
    expect(scoreOf(cfn, "Open")).toBe(1);
    const seed = byResource(lambdaRuntimeSupported.evaluate(corpusContext("seed/evolutionary-template.yaml")));
    expect(scoreOf(seed, "myFirstFunction")).toBe(0);
  });

  it("runtime: a runtime fails from the day its support ends, with that day in the message", () => {
    const fn = (runtime: string) => `${SAM}Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: ${runtime}, Handler: a.b, CodeUri: s3://b/k }\n`;
    const on = (runtime: string, day: string) => byResource(lambdaRuntimeSupported.evaluate(contextOf(fn(runtime), "t.yaml", day))).get("Fn");
    expect(on("nodejs18.x", "2025-08-31")?.score).toBe(1);
    expect(on("nodejs18.x", "2025-09-01")).toMatchObject({ score: 0, message: expect.stringMatching(/nodejs18\.x is deprecated: its support ended on 2025-09-01/) });
    expect(on("python3.9", "2026-11-29")?.score).toBe(0);
    expect(on("nodejs22.x", "2026-11-29")?.score).toBe(1);
    expect(on("nodejs24.x", "2040-01-01")?.score).toBe(1); // not in the table: passes
    expect(on("constructor", "2040-01-01")?.score).toBe(1);
  });

  it("public access: a permission naming the function through Fn::Sub, a literal name or an ARN is found", () => {
    const f = judge(
      lambdaFunctionPublicAccessProhibited,
      `Resources:
  ArnFn:
    Type: AWS::Lambda::Function
    Properties: { Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  Named:
    Type: AWS::Lambda::Function
    Properties: { FunctionName: orders-api, Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  ByArn:
    Type: AWS::Lambda::Function
    Properties: { FunctionName: billing, Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  Closed:
    Type: AWS::Lambda::Function
    Properties: { Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  OpenSub:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: !Sub "\${ArnFn.Arn}:live" }
  OpenName:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: orders-api }
  OpenArn:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: "arn:aws:lambda:eu-west-1:111111111111:function:billing:prod" }
  Worker:
    Type: AWS::Lambda::Function
    Properties: { FunctionName: my-worker, Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  OpenSubArn:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:my-worker" }
  Reporter:
    Type: AWS::Lambda::Function
    Properties: { FunctionName: reporter, Runtime: python3.12, Handler: a.b, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }
  OpenPartial:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: "123456789012:function:reporter" }
  OpenOther:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: "*", FunctionName: Closed }
`,
    );
    expect(["ArnFn", "Named", "ByArn", "Worker", "Reporter"].map((id) => scoreOf(f, id))).toEqual([0, 0, 0, 0, 0]);
    // "Closed" names some other function: this one has no FunctionName, so its deployed name is generated.
    expect(scoreOf(f, "Closed")).toBe(1);
  });

  it("dlq: only asynchronously invoked functions are judged", () => {
    const sam = judge(lambdaDlqCheck, SAM_FUNCTIONS);
    expect(scoreOf(sam, "Overrides")).toBe(0);
    expect(sam.get("Overrides")?.message).toMatch(/Upload/);
    expect(scoreOf(sam, "Kept")).toBe(1);
    expect(sam.has("Polled")).toBe(false);
    expect(sam.has("Inherits")).toBe(false);
  });

  it("dlq: an SNS event through an SQS subscription is polled, not asynchronous, in SAM as in its translation", () => {
    for (const file of ["sam-translator/input/function_with_fifo_topic_event.yaml", "sam-translator/output/function_with_fifo_topic_event.json"]) {
      const f = byResource(lambdaDlqCheck.evaluate(corpusContext(file)));
      expect(f.has("HelloWorldFunction"), file).toBe(false);
    }
  });

  it("dlq: a plain CloudFormation function subscribed to SNS (trigger edge from the event graph) is judged", () => {
    const cfn = judge(lambdaDlqCheck, CFN_FUNCTIONS);
    expect(scoreOf(cfn, "Fn")).toBe(0);
  });

  it("dlq: SAM input and translated output agree on the translator's S3 example", () => {
    const input = byResource(lambdaDlqCheck.evaluate(corpusContext("sam-translator/input/s3.yaml")));
    const output = byResource(lambdaDlqCheck.evaluate(corpusContext("sam-translator/output/s3.json")));
    expect([...input.keys()].length).toBeGreaterThan(0);
    expect([...output.keys()].sort()).toEqual([...input.keys()].sort());
  });

  it("public access: Principal * without a source, and function URLs with AuthType NONE, fail", () => {
    const sam = judge(lambdaFunctionPublicAccessProhibited, SAM_FUNCTIONS);
    expect(scoreOf(sam, "Overrides")).toBe(0);
    expect(scoreOf(sam, "Inherits")).toBe(1);
    const cfn = judge(lambdaFunctionPublicAccessProhibited, CFN_FUNCTIONS);
    expect(scoreOf(cfn, "Open")).toBe(0);
    expect(cfn.get("Open")?.line).toBe(25); // Principal: "*"
    expect(scoreOf(cfn, "Fn")).toBe(1);
  });
});
