import { dict } from "../../../tables.js";
import { classifyActions } from "./actions.js";
import type { Access } from "./actions.js";

/**
 * Turns SAM's policy_templates.json into the TypeScript table the graph uses
 * at run time (src/graph/policy-templates.generated.ts). Pure: the caller
 * (scripts/gen-policy-templates.mjs, or the freshness test) reads and writes.
 *
 * For every template, each parameter that appears in a statement's
 * `Resource` names a resource the template grants access to; the access is
 * the union of what that statement's actions do (see actions.ts). Parameters
 * used only in a `Condition` (the rotation function of
 * AWSSecretsManagerRotationPolicy) are not resources and are left out.
 */

export type PolicyTemplateTable = Record<string, Record<string, Access[]>>;

const ACCESS_ORDER: readonly Access[] = ["read", "write", "invoke"];

export function derivePolicyTemplates(json: unknown): PolicyTemplateTable {
  const table: PolicyTemplateTable = dict();
  const templates = isObject(json) && isObject(json["Templates"]) ? json["Templates"] : {};
  for (const name of Object.keys(templates).sort()) {
    const template = templates[name];
    const params = dict<Set<Access>>();
    const declared = isObject(template) && isObject(template["Parameters"]) ? new Set(Object.keys(template["Parameters"])) : new Set<string>();
    const definition = isObject(template) ? template["Definition"] : undefined;
    const statements = isObject(definition) ? definition["Statement"] : undefined;
    for (const statement of Array.isArray(statements) ? statements : [statements]) {
      if (!isObject(statement) || statement["Effect"] === "Deny") continue;
      const action = statement["Action"];
      const actions = (Array.isArray(action) ? action : [action]).filter((a): a is string => typeof a === "string");
      const access = classifyActions(actions);
      for (const param of refsIn(statement["Resource"])) {
        if (!declared.has(param)) continue;
        const set = (params[param] ??= new Set<Access>());
        for (const kind of access) set.add(kind);
      }
    }
    const out = dict<Access[]>();
    for (const param of Object.keys(params).sort()) {
      out[param] = ACCESS_ORDER.filter((kind) => (params[param] as Set<Access>).has(kind));
    }
    table[name] = out;
  }
  return table;
}

/** The TypeScript source of the generated table. */
export function renderPolicyTemplates(json: unknown): string {
  const table = derivePolicyTemplates(json);
  const version = isObject(json) && typeof json["Version"] === "string" ? json["Version"] : "unknown";
  const lines = [
    "/*",
    " * GENERATED FILE, do not edit.",
    " *",
    " * Derived from the AWS SAM policy template definitions (policy_templates.json",
    " * of aws/serverless-application-model, Apache-2.0) by",
    " * scripts/gen-policy-templates.mjs. For each policy template: the parameters",
    " * that name a resource it grants access to, and the access its actions give",
    " * there (classified by src/graph/extract/access/actions.ts).",
    " *",
    " * Regenerate: node scripts/gen-policy-templates.mjs [path/to/policy_templates.json]",
    " * (default: ../shared/corpus/sam-translator/policy_templates.json).",
    " */",
    'import { table, type Table } from "../tables.js";',
    'import type { Access } from "./extract/access/actions.js";',
    "",
    `export const POLICY_TEMPLATES_VERSION = ${JSON.stringify(version)};`,
    "",
    "type AccessByParameter = Readonly<Record<string, readonly Access[]>>;",
    "",
    "/** By policy template name, a name from the template: read with `get` (see src/tables.ts). */",
    "export const POLICY_TEMPLATES: Table<AccessByParameter> = table<AccessByParameter>({",
  ];
  for (const [name, params] of Object.entries(table)) {
    const entries = Object.entries(params).map(([param, kinds]) => `${JSON.stringify(param)}: [${kinds.map((k) => JSON.stringify(k)).join(", ")}]`);
    lines.push(`  ${JSON.stringify(name)}: {${entries.length > 0 ? ` ${entries.join(", ")} ` : ""}},`);
  }
  lines.push("});", "");
  return lines.join("\n");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Names given to `Ref` anywhere inside a value (iterative). */
function refsIn(value: unknown): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      stack.push(...current);
    } else if (isObject(current)) {
      const keys = Object.keys(current);
      if (keys.length === 1 && keys[0] === "Ref" && typeof current["Ref"] === "string") out.add(current["Ref"]);
      else for (const key of keys) stack.push(current[key]);
    }
  }
  return out;
}
