import type { Finding } from "../types.js";
import type { Resource, Template } from "../../template/types.js";
import { finding, lineAt } from "./findings.js";
import { blocks } from "./policies.js";
import { credit, valuesAt } from "./values.js";

/** A failing (or partial) finding when the bucket's canned ACL is one of `publicAcls`, else undefined. */
export function publicAclCheck(template: Template, resource: Resource, publicAcls: readonly string[]): Finding | undefined {
  if (blocks(resource, "IgnorePublicAcls")) return undefined;
  const { score, unknown } = credit(valuesAt(resource.properties, ["AccessControl"], template), (v) =>
    typeof v === "string" && publicAcls.includes(v) ? 0 : 1,
  );
  if (score >= 1) return undefined;
  return finding(resource.id, score, lineAt(resource, ["AccessControl"]), "the bucket ACL grants public access",
    "Remove `AccessControl` (or use `Private`) and set `PublicAccessBlockConfiguration` with all four flags true.", unknown);
}
