/**
 * Classifies IAM actions (`dynamodb:GetItem`, `sqs:SendMessage*`, `s3:*`) by
 * the kind of access they give to the resource they are granted on.
 *
 * The classifier looks at the verb that starts the action name, the way the
 * IAM access levels are named in AWS's service authorization reference:
 *
 * - verbs that observe a resource (`Get`, `List`, `Describe`, `Scan`, `Query`,
 *   `Receive`, `Select`, `Search`, ...) give `read`;
 * - verbs that change it or hand it data (`Put`, `Send`, `Publish`, `Update`,
 *   `Delete`, `Create`, `Write`, `Start`, ...) give `write`;
 * - `lambda:InvokeFunction`/`InvokeAsync`/`InvokeFunctionUrl` and
 *   `states:StartExecution`/`StartSyncExecution` give `invoke`;
 * - a wildcard action (`*`, `s3:*`, `dynamodb:*Item`) gives every kind.
 *
 * Prefix words that only say how a call is made are skipped before the verb
 * is read: `BatchGetItem` reads, `BatchWriteItem` writes, `PartiQLSelect`
 * reads, `ClientWrite` writes, `GitPull` reads, `ESHttpPost` writes.
 *
 * Two families are deliberately counted as reads although IAM lists them as
 * writes, because in an event graph they do not make the caller a producer:
 * - acknowledging SQS messages (`DeleteMessage*`, `ChangeMessageVisibility*`)
 *   is part of consuming a queue;
 * - KMS cryptographic operations (`Encrypt`, `Decrypt`, `GenerateDataKey*`,
 *   `ReEncrypt*`, `Sign`, `Verify`, `GenerateMac`) use a key without changing it.
 *
 * Unknown verbs give nothing (no edge rather than a guessed one).
 */

export type Access = "read" | "write" | "invoke";

const ALL: readonly Access[] = ["read", "write", "invoke"];

const READ_VERBS = [
  "get", "list", "describe", "scan", "query", "receive", "search", "select", "filter", "lookup", "read", "head",
  "view", "detect", "check", "download", "mount", "pull", "export", "test", "preview", "estimate", "validate",
  "analyze", "compare", "retrieve", "poll", "condition", "synthesize", "discover", "batchget", "consume",
];

const WRITE_VERBS = [
  "put", "post", "send", "publish", "update", "delete", "create", "write", "add", "remove", "modify", "set", "tag",
  "untag", "change", "merge", "restore", "index", "copy", "upload", "increase", "decrease", "split", "stop",
  "terminate", "cancel", "run", "register", "deregister", "enable", "disable", "attach", "detach", "associate",
  "disassociate", "reset", "import", "purge", "insert", "patch", "push", "rotate", "replicate", "abort", "complete",
  "start", "subscribe", "unsubscribe", "confirm", "acknowledge", "rebuild", "reboot", "apply", "commit", "rollback",
  "execute", "release", "renew", "revoke", "grant", "schedule", "submit", "activate", "deactivate", "flush", "redrive",
];

/** Whole actions (lower case) whose verb does not say what they do to the resource. */
const ACTION_OVERRIDES: ReadonlyMap<string, readonly Access[]> = new Map<string, readonly Access[]>([
  ["lambda:invokefunction", ["invoke"]],
  ["lambda:invokeasync", ["invoke"]],
  ["lambda:invokefunctionurl", ["invoke"]],
  ["states:startexecution", ["invoke"]],
  ["states:startsyncexecution", ["invoke"]],
  ["sqs:deletemessage", ["read"]],
  ["sqs:deletemessagebatch", ["read"]],
  ["sqs:changemessagevisibility", ["read"]],
  ["sqs:changemessagevisibilitybatch", ["read"]],
  // Runs statements that may read or write: both.
  ["rds-data:executestatement", ["read", "write"]],
  ["rds-data:batchexecutestatement", ["read", "write"]],
]);

const KMS_USE_VERBS = ["encrypt", "decrypt", "generatedatakey", "reencrypt", "sign", "verify", "generatemac", "verifymac"];

/** Words that say how a call is made, not what it does: skipped before the verb. */
const MANNER_PREFIXES = ["batch", "partiql", "client", "git", "eshttp"];

/**
 * Verbs sorted longest first so that the longest matching verb wins
 * (`deregister` before `register`, `batchget` before `batch`).
 */
const VERBS: readonly [string, Access][] = [
  ...READ_VERBS.map((v): [string, Access] => [v, "read"]),
  ...WRITE_VERBS.map((v): [string, Access] => [v, "write"]),
].sort((a, b) => b[0].length - a[0].length);

/** The kinds of access one IAM action gives; empty when the verb is unknown. */
export function classifyAction(action: string): readonly Access[] {
  const text = action.trim().toLowerCase();
  if (text === "*" || text === "") return text === "*" ? ALL : [];
  const colon = text.indexOf(":");
  if (colon < 0) return [];
  const service = text.slice(0, colon);
  let name = text.slice(colon + 1);
  if (name === "" || name.startsWith("*") || name.startsWith("?")) return ALL;
  const override = ACTION_OVERRIDES.get(text) ?? ACTION_OVERRIDES.get(`${service}:${name.replace(/\*+$/, "")}`);
  if (override) return override;
  if (name.startsWith("invoke")) return ["invoke"];
  if (service === "kms" && KMS_USE_VERBS.some((v) => name.startsWith(v))) return ["read"];
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const prefix of MANNER_PREFIXES) {
      if (name.startsWith(prefix) && name.length > prefix.length) {
        name = name.slice(prefix.length);
        stripped = true;
      }
    }
  }
  for (const [verb, access] of VERBS) {
    if (name.startsWith(verb)) return [access];
  }
  // A wildcard cut inside the verb (`s3:Ge*`, `sqs:Send*`) matches verbs that start with it.
  const star = name.indexOf("*");
  if (star > 0) {
    const stem = name.slice(0, star);
    const kinds = new Set<Access>();
    for (const [verb, access] of VERBS) if (verb.startsWith(stem)) kinds.add(access);
    return [...kinds];
  }
  return [];
}

/** The union of the access kinds of several actions (a statement's `Action` list). */
export function classifyActions(actions: Iterable<string>): Set<Access> {
  const out = new Set<Access>();
  for (const action of actions) for (const kind of classifyAction(action)) out.add(kind);
  return out;
}
