/**
 * Turns what the AWS SDK throws into one clear sentence a user can act on.
 * Pure: looks only at the error's name, code, message and HTTP status.
 */
import type { LiveError } from "./types.js";

interface ErrorShape {
  name: string;
  code: string;
  message: string;
  status: number | undefined;
}

function shapeOf(error: unknown): ErrorShape {
  if (error === null || typeof error !== "object") {
    return { name: "", code: "", message: String(error), status: undefined };
  }
  const record = error as Record<string, unknown>;
  const metadata = record["$metadata"];
  const status =
    metadata !== null && typeof metadata === "object"
      ? (metadata as Record<string, unknown>)["httpStatusCode"]
      : undefined;
  const text = (value: unknown): string => (typeof value === "string" ? value : "");
  return {
    name: text(record["name"]),
    code: text(record["Code"]) || text(record["code"]),
    message: text(record["message"]),
    status: typeof status === "number" ? status : undefined,
  };
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "SlowDown",
]);

/** Whether the call was refused for its rate and is worth retrying after a pause. */
export function isThrottling(error: unknown): boolean {
  const { name, code, status } = shapeOf(error);
  return THROTTLING.has(name) || THROTTLING.has(code) || status === 429;
}

/** Whether the call failed on the service side or the network, so trying again may help. */
export function isTransient(error: unknown): boolean {
  if (isThrottling(error)) return true;
  const { name, code, status } = shapeOf(error);
  if (status !== undefined && status >= 500) return true;
  return ["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNREFUSED", "TimeoutError"].some(
    (known) => name === known || code === known,
  );
}

const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);

const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"]);

/**
 * Classifies a failed call. `action` is the IAM action the call needs
 * (`cloudformation:DescribeStacks`), `stack` and `region` what was asked for.
 */
export function classifyError(error: unknown, action: string, stack: string, region: string | null): LiveError {
  const { name, code, message, status } = shapeOf(error);
  const is = (set: ReadonlySet<string>): boolean => set.has(name) || set.has(code);
  const where = region ? ` in region ${region}` : "";

  if (/region is missing|region not accepted/i.test(message) || name === "RegionMissingError") {
    return {
      kind: "region",
      message: "No AWS region is configured: pass --region (action input `region`) or set AWS_REGION.",
    };
  }
  if (/credential should be scoped to a valid region|scoped to correct region/i.test(message)) {
    return {
      kind: "region",
      message: `The credentials are scoped to another region than ${region ?? "the one requested"}: ${message}`,
    };
  }
  if (is(CREDENTIAL_ERRORS) || /could not load credentials/i.test(message)) {
    return {
      kind: "credentials",
      message:
        "No valid AWS credentials: configure them in the job (for example aws-actions/configure-aws-credentials " +
        `with OIDC) or the environment. AWS said: ${message || name}`,
    };
  }
  if (is(ACCESS_DENIED) || (status === 403 && !is(CREDENTIAL_ERRORS))) {
    return {
      kind: "access-denied",
      action,
      message: `Access denied: the AWS identity needs the IAM permission ${action}${where}. AWS said: ${message || name}`,
    };
  }
  if (/does not exist/i.test(message) && (code === "ValidationError" || name === "ValidationError")) {
    return {
      kind: "stack-not-found",
      message:
        `Stack ${stack} does not exist${where}. Check the stack name, and that --region (or AWS_REGION) ` +
        "is the region the stack is deployed in.",
    };
  }
  if (name === "AbortError" || name === "TimeoutError" || /aborted/i.test(message)) {
    return { kind: "timeout", message: `The live check ran out of time during ${action}.` };
  }
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo/i.test(`${code} ${message}`)) {
    return { kind: "network", message: `Cannot reach the AWS endpoint for ${action}: ${message}` };
  }
  return { kind: "unknown", message: `${action} failed: ${message || name || "unknown error"}` };
}

/** The region part of a CloudFormation stack ARN, when `stack` is one. */
export function regionOfStackArn(stack: string): string | null {
  const match = /^arn:aws[a-z-]*:cloudformation:([a-z0-9-]+):\d{12}:stack\//.exec(stack);
  return match ? (match[1] as string) : null;
}
