/**
 * Wire-format payloads for faking CloudFormation (query protocol, XML) and
 * AWS Config (JSON 1.1) with nock, shaped like the services' real answers.
 */
import nock from "nock";
import type { Rule } from "../../src/fitness/types.js";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const CFN_HOST = `https://cloudformation.${REGION}.amazonaws.com`;
export const CONFIG_HOST = `https://config.${REGION}.amazonaws.com`;
const CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

export const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function stackArn(name: string): string {
  return `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/5b6b8a40-9a1e-11ee-b9d1-0242ac120002`;
}

export interface FakeStack {
  name: string;
  status?: string;
  drift?: string;
}

export function describeStacksXml(stack: FakeStack): string {
  const drift = stack.drift
    ? `<DriftInformation><StackDriftStatus>${stack.drift}</StackDriftStatus>` +
      "<LastCheckTimestamp>2026-11-20T08:00:00.000Z</LastCheckTimestamp></DriftInformation>"
    : "";
  return `<DescribeStacksResponse xmlns="${CFN_NS}">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackName>${escapeXml(stack.name)}</StackName>
        <StackId>${stackArn(stack.name)}</StackId>
        <CreationTime>2026-10-01T10:00:00.000Z</CreationTime>
        <LastUpdatedTime>2026-11-19T16:30:12.123Z</LastUpdatedTime>
        <StackStatus>${stack.status ?? "UPDATE_COMPLETE"}</StackStatus>
        <DisableRollback>false</DisableRollback>
        <Capabilities><member>CAPABILITY_IAM</member><member>CAPABILITY_AUTO_EXPAND</member></Capabilities>
        ${drift}
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>7d8a1c4e-0000-4000-8000-000000000001</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;
}

export interface FakeResource {
  logicalId: string;
  physicalId: string;
  type: string;
  drift?: string;
}

export function listStackResourcesXml(resources: readonly FakeResource[], nextToken?: string): string {
  const members = resources
    .map(
      (resource) => `      <member>
        <LogicalResourceId>${escapeXml(resource.logicalId)}</LogicalResourceId>
        <PhysicalResourceId>${escapeXml(resource.physicalId)}</PhysicalResourceId>
        <ResourceType>${resource.type}</ResourceType>
        <LastUpdatedTimestamp>2026-11-19T16:29:58.000Z</LastUpdatedTimestamp>
        <ResourceStatus>UPDATE_COMPLETE</ResourceStatus>
        <DriftInformation><StackResourceDriftStatus>${resource.drift ?? "NOT_CHECKED"}</StackResourceDriftStatus></DriftInformation>
      </member>`,
    )
    .join("\n");
  return `<ListStackResourcesResponse xmlns="${CFN_NS}">
  <ListStackResourcesResult>
    <StackResourceSummaries>
${members}
    </StackResourceSummaries>
    ${nextToken ? `<NextToken>${escapeXml(nextToken)}</NextToken>` : ""}
  </ListStackResourcesResult>
  <ResponseMetadata><RequestId>7d8a1c4e-0000-4000-8000-000000000002</RequestId></ResponseMetadata>
</ListStackResourcesResponse>`;
}

export function getTemplateXml(body: string): string {
  return `<GetTemplateResponse xmlns="${CFN_NS}">
  <GetTemplateResult>
    <TemplateBody>${escapeXml(body)}</TemplateBody>
    <StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>
  </GetTemplateResult>
  <ResponseMetadata><RequestId>7d8a1c4e-0000-4000-8000-000000000003</RequestId></ResponseMetadata>
</GetTemplateResponse>`;
}

export function cfnErrorXml(code: string, message: string, type = "Sender"): string {
  return `<ErrorResponse xmlns="${CFN_NS}">
  <Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>
  <RequestId>7d8a1c4e-0000-4000-8000-0000000000ee</RequestId>
</ErrorResponse>`;
}

/** Form fields of a query-protocol request body. */
export function formOf(body: unknown): Record<string, string> {
  if (typeof body === "string") return Object.fromEntries(new URLSearchParams(body));
  return (body ?? {}) as Record<string, string>;
}

/** Intercepts one CloudFormation call of `action` whose form fields satisfy `where`. */
export function cfnCall(action: string, where: (form: Record<string, string>) => boolean = () => true): nock.Interceptor {
  return nock(CFN_HOST)
    .post("/", (body) => {
      const form = formOf(body);
      return form["Action"] === action && where(form);
    });
}

/** Intercepts one AWS Config call of `operation` whose JSON body satisfies `where`. */
export function configCall(operation: string, where: (body: Record<string, unknown>) => boolean = () => true): nock.Interceptor {
  return nock(CONFIG_HOST, { reqheaders: { "x-amz-target": `StarlingDoveService.${operation}` } })
    .post("/", (body) => where((typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>));
}

export const JSON_HEADERS = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "c0ffee00-0000-4000-8000-000000000001" };

export function configError(type: string, message: string): Record<string, string> {
  return { __type: `com.amazonaws.starlingdove#${type}`, message };
}

export interface FakeConfigRule {
  name: string;
  identifier?: string;
  owner?: "AWS" | "CUSTOM_LAMBDA" | "CUSTOM_POLICY";
}

export function describeConfigRulesBody(rules: readonly FakeConfigRule[], nextToken?: string): Record<string, unknown> {
  return {
    ConfigRules: rules.map((rule, index) => ({
      ConfigRuleName: rule.name,
      ConfigRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-${String(index).padStart(6, "0")}`,
      ConfigRuleId: `config-rule-${String(index).padStart(6, "0")}`,
      ConfigRuleState: "ACTIVE",
      Source: {
        Owner: rule.owner ?? "AWS",
        ...(rule.identifier ? { SourceIdentifier: rule.identifier } : {}),
      },
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

export interface FakeEvaluation {
  rule: string;
  compliance: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";
  annotation?: string;
}

export function complianceBody(
  resourceType: string,
  resourceId: string,
  evaluations: readonly FakeEvaluation[],
  nextToken?: string,
): Record<string, unknown> {
  return {
    EvaluationResults: evaluations.map((evaluation) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: evaluation.rule,
          ResourceType: resourceType,
          ResourceId: resourceId,
          EvaluationMode: "DETECTIVE",
        },
        OrderingTimestamp: 1763600000.123,
      },
      ComplianceType: evaluation.compliance,
      ResultRecordedTime: 1763600100.5,
      ConfigRuleInvokedTime: 1763600090.25,
      ...(evaluation.annotation ? { Annotation: evaluation.annotation } : {}),
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

/** A stand-in rule: the live check only reads its id, Config identifier, title, weight and docs. */
export function stubRule(id: string, configRuleIdentifier: string | undefined, weight = 1): Rule {
  return {
    id,
    title: id,
    category: "security",
    weight,
    appliesTo: [],
    ...(configRuleIdentifier ? { configRuleIdentifier } : {}),
    docs: `Fix ${id}.`,
    evaluate: () => [],
  };
}

/** Credentials and region for the SDK, without reading the machine's AWS config files. */
export function fakeAwsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "testAKIAEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "testsecretEXAMPLEKEY",
    AWS_SESSION_TOKEN: "",
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: "",
    AWS_PROFILE: "",
    AWS_ENDPOINT_URL: "",
    AWS_ENDPOINT_URL_CLOUDFORMATION: "",
    AWS_ENDPOINT_URL_CONFIG_SERVICE: "",
    AWS_CONFIG_FILE: "/nonexistent/sam-fitness-test/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/sam-fitness-test/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}
