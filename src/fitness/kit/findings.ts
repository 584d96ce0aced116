import { positionOf } from "../../template/positions.js";
import type { Finding } from "../types.js";
import type { Resource, Template, Value } from "../../template/types.js";
import { credit, valuesAt, type Alternative } from "./values.js";

/** Resources of the given types, in template order. */
export function resourcesOf(template: Template, types: readonly string[]): Resource[] {
  const wanted = new Set(types);
  const out: Resource[] = [];
  for (const resource of template.resources.values()) if (wanted.has(resource.type)) out.push(resource);
  return out;
}

/**
 * Line of the property at `path` below the resource's properties: the
 * deepest part of the path that exists, or the resource's logical ID when
 * even the first key is missing.
 */
export function lineAt(resource: Resource, path: readonly (string | number)[]): number {
  let line = resource.position.line;
  let current: unknown = resource.properties;
  for (const key of path) {
    if (!has(current, key)) break;
    const pos = positionOf(current, key);
    if (!pos) break;
    line = pos.line;
    current = (current as Record<string | number, unknown>)[key];
  }
  return line;
}

/** Line of `container[key]` when that entry exists and its position is known, else `fallback`. */
export function lineOf(container: unknown, key: string | number, fallback: number): number {
  return has(container, key) ? (positionOf(container, key)?.line ?? fallback) : fallback;
}

/** `container` is a map or list that holds `key` (positions fall back to the container for missing keys). */
function has(container: unknown, key: string | number): boolean {
  if (container === null || typeof container !== "object") return false;
  if (Array.isArray(container)) return typeof key === "number" && key >= 0 && key < container.length;
  return Object.hasOwn(container, key);
}

export interface CheckSpec {
  resource: Resource;
  /** Property path judged (for the value and the line). */
  path: readonly (string | number)[];
  judge: (value: Value | undefined) => number;
  pass: string;
  fail: string;
  fix: string;
}

/** The common case: judge one property of one resource through its intrinsics. */
export function checkProperty(template: Template, spec: CheckSpec): Finding {
  const alts: Alternative[] = valuesAt(spec.resource.properties, spec.path, template);
  const { score, unknown } = credit(alts, spec.judge);
  return finding(spec.resource.id, score, lineAt(spec.resource, spec.path), score >= 1 ? spec.pass : spec.fail, spec.fix, unknown);
}

export function finding(resource: string, score: number, line: number, message: string, fix: string, unknown?: string): Finding {
  const text = unknown !== undefined && score < 1 ? `${message} (${unknown}: partial credit)` : message;
  return score >= 1 ? { resource, score, line, message: text } : { resource, score, line, message: text, fix };
}
