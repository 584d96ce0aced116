import { describe, expect, it } from "vitest";
import { safeDeployments } from "../../rules/safe-deployments.js";
import { byResource, corpusContext, judge, SAM, scoreOf } from "./helpers.js";

const EVENTS = `      Events:
        Get:
          Type: Api
          Properties: { Path: /x, Method: get }
`;

const SAM_TEMPLATE = `${SAM}Parameters:
  Deploy: { Type: String, Default: Canary10Percent5Minutes }
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
    AutoPublishAlias: live
    DeploymentPreference:
      Type: AllAtOnce
Resources:
  Inherited:
    Type: AWS::Serverless::Function
    Properties:
${EVENTS}  Full:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference:
        Type: !Ref Deploy
        Alarms: [!Ref Errors]
        Hooks: { PostTraffic: !Ref CheckFn }
${EVENTS}  Disabled:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference: { Type: Linear10PercentEvery1Minute, Enabled: false }
${EVENTS}  Either:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference:
        Type: !If [IsProd, Canary10Percent5Minutes, AllAtOnce]
${EVENTS}  Untriggered:
    Type: AWS::Serverless::Function
  CheckFn:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference: { Enabled: false }
  Errors:
    Type: AWS::CloudWatch::Alarm
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
`;

describe("safe-deployments", () => {
  it("the seed: both API functions pass with partial credit for missing alarms; the hook function is exempt", () => {
    const f = byResource(safeDeployments.evaluate(corpusContext("seed/evolutionary-template.yaml")));
    expect(f.get("myFirstFunction")).toMatchObject({ score: 0.8, pass: true });
    expect(f.get("mySecondFunction")).toMatchObject({ score: 0.8, pass: true });
    expect(f.get("myFirstFunction")?.message).toMatch(/no alarms/);
    expect(f.has("preTrafficHook")).toBe(false);
  });

  it("SAM: Globals count, alarms and hooks complete the credit, AllAtOnce / disabled fail, !If halves", () => {
    const f = judge(safeDeployments, SAM_TEMPLATE);
    expect(f.get("Inherited")).toMatchObject({ score: 0, pass: false });
    expect(f.get("Inherited")?.message).toMatch(/AllAtOnce/);
    expect(f.get("Inherited")?.line).toBe(11); // Globals DeploymentPreference.Type
    expect(f.get("Full")).toMatchObject({ score: 1, pass: true });
    expect(f.get("Disabled")).toMatchObject({ score: 0, pass: false });
    expect(scoreOf(f, "Either")).toBeCloseTo(0.3);
    expect(f.has("Untriggered")).toBe(false);
    expect(f.has("CheckFn")).toBe(false);
  });

  it("SAM: an empty Alarms list earns no alarm credit", () => {
    const f = judge(safeDeployments, SAM_TEMPLATE.replace("Alarms: [!Ref Errors]", "Alarms: []"));
    expect(scoreOf(f, "Full")).toBeCloseTo(0.8);
    expect(f.get("Full")?.message).toMatch(/no alarms/);
  });

  it("SAM: no AutoPublishAlias fails", () => {
    const f = judge(safeDeployments, SAM_TEMPLATE.replace("    AutoPublishAlias: live\n", ""));
    expect(scoreOf(f, "Full")).toBe(0);
    expect(f.get("Full")?.message).toMatch(/AutoPublishAlias/);
  });

  const CFN = (config: string, alarms: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: { ZipFile: "def handler(e, c): return 1" }
  FnVersion:
    Type: AWS::Lambda::Version
    Properties: { FunctionName: !Ref Fn }
  FnAlias:
    Type: AWS::Lambda::Alias
    UpdatePolicy:
      CodeDeployLambdaAliasUpdate:
        ApplicationName: !Ref App
        DeploymentGroupName: !Ref Group
        BeforeAllowTrafficHook: !Ref Hook
    Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt FnVersion.Version, Name: live }
  App:
    Type: AWS::CodeDeploy::Application
    Properties: { ComputePlatform: Lambda }
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      DeploymentConfigName: ${config}
      ServiceRoleArn: arn:aws:iam::123456789012:role/cd
${alarms}
  Hook:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: CodeDeployHook_check
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: { ZipFile: "def handler(e, c): return 1" }
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{ Protocol: lambda, Endpoint: !Ref FnAlias }]
`;

  it("plain CloudFormation: alias update policy + canary deployment group, alarms and hooks", () => {
    const alarms = "      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: errors }] }";
    const full = judge(safeDeployments, CFN("CodeDeployDefault.LambdaCanary10Percent5Minutes", alarms));
    expect(full.get("Fn")).toMatchObject({ score: 1, pass: true });
    expect(full.has("Hook")).toBe(false);
    const noAlarms = judge(safeDeployments, CFN(`!Sub ["CodeDeployDefault.Lambda\${Name}", { Name: Linear10PercentEvery1Minute }]`, ""));
    expect(noAlarms.get("Fn")).toMatchObject({ score: 0.8, pass: true });
    const allAtOnce = judge(safeDeployments, CFN("CodeDeployDefault.LambdaAllAtOnce", alarms));
    expect(allAtOnce.get("Fn")).toMatchObject({ score: 0, pass: false });
  });
});

describe("safe-deployments before and after SAM translation", () => {
  const pair = "function_with_events_and_propagate_tags";

  it("the translator's AllAtOnce example: SAM `Type: AllAtOnce` and its translated `Fn::Sub` config name get the same verdict", () => {
    const input = byResource(safeDeployments.evaluate(corpusContext(`sam-translator/input/${pair}.yaml`)));
    const output = byResource(safeDeployments.evaluate(corpusContext(`sam-translator/output/${pair}.json`)));
    expect(input.get("MyAwesomeFunction")).toMatchObject({ score: 0, pass: false });
    // DeploymentConfigName: {Fn::Sub: ["CodeDeployDefault.Lambda${ConfigName}", {ConfigName: AllAtOnce}]}
    expect(output.get("MyAwesomeFunction")).toMatchObject({ score: 0, pass: false });
    expect(output.get("MyAwesomeFunction")?.message).toMatch(/all traffic at once/);
  });

  it("an Fn::Sub is resolved only when its own map gives every variable a literal", () => {
    const group = (config: string) =>
      judge(
        safeDeployments,
        CFN_PAIR.replace("CONFIG", config),
      ).get("Fn")?.score;
    expect(group(`!Sub ["CodeDeployDefault.Lambda\${C}", { C: AllAtOnce }]`)).toBe(0);
    expect(group(`!Sub ["CodeDeployDefault.Lambda\${C}\${!Literal}", { C: AllAtOnce }]`)).toBe(0);
    // A pseudo parameter or a parameter cannot be decided from the template: partial credit, as before.
    expect(group(`!Sub ["CodeDeployDefault.Lambda\${C}\${AWS::Region}", { C: AllAtOnce }]`)).toBeCloseTo(0.3);
    expect(group(`!Sub "CodeDeployDefault.Lambda\${Kind}"`)).toBeCloseTo(0.3);
    expect(group(`!Sub ["CodeDeployDefault.Lambda\${C}", { C: !Ref Kind }]`)).toBeCloseTo(0.3);
  });
});

const CFN_PAIR = `Parameters:
  Kind: { Type: String }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: { ZipFile: "def handler(e, c): return 1" }
  FnVersion:
    Type: AWS::Lambda::Version
    Properties: { FunctionName: !Ref Fn }
  FnAlias:
    Type: AWS::Lambda::Alias
    UpdatePolicy:
      CodeDeployLambdaAliasUpdate:
        ApplicationName: !Ref App
        DeploymentGroupName: !Ref Group
    Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt FnVersion.Version, Name: live }
  App:
    Type: AWS::CodeDeploy::Application
    Properties: { ComputePlatform: Lambda }
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      DeploymentConfigName: CONFIG
      ServiceRoleArn: arn:aws:iam::123456789012:role/cd
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{ Protocol: lambda, Endpoint: !Ref FnAlias }]
`;
