import { isMap } from "../template/intrinsics.js";
import type { Template, Value } from "../template/types.js";

export interface Suppression {
  reason: string;
}

/**
 * Suppressions from resource Metadata:
 *
 *   Metadata:
 *     sam-fitness:
 *       skip:
 *         - id: s3-bucket-logging-enabled
 *           reason: log bucket of the other buckets
 *
 * The template's own top-level `Metadata` takes the same list, with an
 * optional `resource` per entry: for resources that have no Metadata of their
 * own (the `ServerlessRestApi` SAM creates, the rule of a SAM Schedule event),
 * or, without `resource`, for every resource the rule judges.
 *
 * Only suppressions with a non-empty reason are honoured; the others (a bare
 * rule id, an empty reason) are reported in `notes` and ignored, so that an
 * opt-out always says why.
 */
export interface Suppressions {
  /** Rule ids suppressed per resource id; the resource `*` stands for every resource. */
  byResource: Map<string, Map<string, Suppression>>;
  notes: string[];
}

export function readSuppressions(template: Template, ruleIds: ReadonlySet<string>): Suppressions {
  const out: Suppressions = { byResource: new Map(), notes: [] };
  for (const resource of template.resources.values()) {
    const section = resource.metadata?.["sam-fitness"];
    if (section !== undefined) readSection(section, resource.id, resource.id, ruleIds, out);
  }
  const rootMetadata = template.root["Metadata"];
  const rootSection = isMap(rootMetadata) ? rootMetadata["sam-fitness"] : undefined;
  if (rootSection !== undefined) readSection(rootSection, "*", "Metadata", ruleIds, out);
  return out;
}

/** The suppression that applies to (resource, rule), if any. */
export function suppressionOf(suppressions: Suppressions, resource: string, rule: string): Suppression | undefined {
  return suppressions.byResource.get(resource)?.get(rule) ?? suppressions.byResource.get("*")?.get(rule);
}

function readSection(section: Value, fallbackResource: string, where: string, ruleIds: ReadonlySet<string>, out: Suppressions): void {
  const skip = isMap(section) ? section["skip"] : undefined;
  if (!Array.isArray(skip)) {
    out.notes.push(`${where}: Metadata.sam-fitness.skip should be a list of { id, reason }; ignored`);
    return;
  }
  for (const entry of skip) {
    const id = typeof entry === "string" ? entry : isMap(entry) && typeof entry["id"] === "string" ? entry["id"] : undefined;
    if (id === undefined) {
      out.notes.push(`${where}: a suppression without a rule id was ignored`);
      continue;
    }
    if (!ruleIds.has(id)) out.notes.push(`${where}: suppression of unknown rule "${id}" has no effect`);
    const reason = isMap(entry) && typeof entry["reason"] === "string" ? entry["reason"].trim() : "";
    if (reason === "") {
      out.notes.push(`${where}: suppression of "${id}" has no reason and was not applied; add reason: <why>`);
      continue;
    }
    const named = fallbackResource === "*" && isMap(entry) && typeof entry["resource"] === "string" ? entry["resource"] : fallbackResource;
    let rules = out.byResource.get(named);
    if (!rules) out.byResource.set(named, (rules = new Map()));
    rules.set(id, { reason });
  }
}
