import { isMap, refTarget, getAttTarget } from "../../template/intrinsics.js";
import type { Resource, Template, Value, ValueMap } from "../../template/types.js";
import { asList, get, isTrue } from "./values.js";

/** A policy statement and the resource that holds it. */
export interface Statement {
  statement: ValueMap;
  holder: Resource;
}

/** The logical ID a `Ref`/`GetAtt` value names, when it names one. */
export function referencedId(value: Value | undefined): string | undefined {
  return refTarget(value) ?? getAttTarget(value)?.[0];
}

/** Statements of the `AWS::S3::BucketPolicy` resources attached to `bucketId`. */
export function bucketPolicyStatements(template: Template, bucketId: string): Statement[] {
  const out: Statement[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::S3::BucketPolicy") continue;
    if (referencedId(resource.properties["Bucket"]) !== bucketId) continue;
    for (const s of asList(get(resource.properties["PolicyDocument"], "Statement"))) {
      if (isMap(s)) out.push({ statement: s, holder: resource });
    }
  }
  return out;
}

/** Principal `*` or `{AWS: "*"}` (or a list containing `*`). */
export function isPublicPrincipal(principal: Value | undefined): boolean {
  if (principal === "*") return true;
  const aws = get(principal, "AWS");
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

/** Actions of a statement, lower-cased. */
export function actionsOf(statement: ValueMap): string[] {
  return asList(statement["Action"]).filter((a): a is string => typeof a === "string").map((a) => a.toLowerCase());
}

/** True when some action pattern of the statement covers one of `wanted` (e.g. `s3:get*` covers `s3:getobject`). */
export function coversAction(statement: ValueMap, wanted: readonly string[]): boolean {
  return actionsOf(statement).some((pattern) => {
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return wanted.some((w) => re.test(w));
  });
}

/** An Allow statement open to everyone with no Condition narrowing it. */
export function isOpenAllow(statement: ValueMap): boolean {
  return statement["Effect"] === "Allow" && isPublicPrincipal(statement["Principal"]) && statement["Condition"] === undefined;
}

/** `PublicAccessBlockConfiguration.<flag>` is literally true. */
export function blocks(resource: Resource, flag: string): boolean {
  return isTrue(get(resource.properties["PublicAccessBlockConfiguration"], flag));
}
