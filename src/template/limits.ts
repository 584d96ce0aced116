import type { CST } from "yaml";
import type { Value } from "./types.js";

/**
 * Bounds on what a template may expand to, so that untrusted input (a pull
 * request) cannot make the run crash or stall. Both are enforced while the
 * template is read, so everything downstream (graph, rules, renderers, JSON
 * output), which walks the values as trees, is bounded by them too.
 *
 * MAX_DEPTH: lists and mappings nested inside each other. Real templates stay
 * far below it (the deepest of the 1,772 corpus templates is 23 levels, with
 * inline state machines and OpenAPI bodies); the recursive walkers (the YAML
 * library's composer, the graph's ARN resolution, the live check's canonical
 * form) take a few stack frames per level, so 200 levels use a small part of
 * V8's default stack (about 10,000 frames) wherever they are called from.
 *
 * MAX_NODES: values (scalars, lists, mappings) of the resolved document: every
 * YAML alias expanded, merge keys (`<<`) copied and SAM Globals copied into
 * each resource that inherits them, as the SAM translator does. An absolute
 * bound rather than a multiple of the source size: the source is bounded by
 * the file size only, and what costs time and memory downstream is the number
 * of values, whatever produced them. CloudFormation refuses templates over
 * 1 MB, which even written as densely as YAML allows (`[1,1,1,...]`, 2 bytes a
 * value) holds 500,000 values; real ones hold far fewer (the largest corpus
 * template: about 1,000). A million values parse, graph and score in about
 * 3 s and 500 MB; a "billion laughs" file of a few lines is refused at once.
 */
export const MAX_DEPTH = 200;
export const MAX_NODES = 1_000_000;

const COUNT = new Intl.NumberFormat("en-US");

export function tooManyNodes(detail: string): string {
  return `the document expands to more than ${COUNT.format(MAX_NODES)} nodes: ${detail}`;
}

export function tooDeep(detail?: string): string {
  return `nesting deeper than ${MAX_DEPTH} levels${detail ? `: ${detail}` : " (lists and mappings inside each other)"}`;
}

export function formatCount(n: number): string {
  return COUNT.format(n);
}

type Token = CST.Token | null | undefined;

/**
 * The offset of the first list or mapping nested more than MAX_DEPTH levels
 * deep in the YAML library's concrete syntax tree, or undefined. The tree is
 * built without recursion; composing it into nodes recurses once per level
 * and overflows the stack near a thousand levels, so the depth is checked
 * here first, with a loop.
 */
export function tooDeepOffset(tokens: readonly CST.Token[]): number | undefined {
  const stack: [Token, number][] = tokens.map((token) => [token, 0]);
  while (stack.length > 0) {
    const [token, level] = stack.pop() as [Token, number];
    if (!token) continue;
    switch (token.type) {
      case "document":
        stack.push([token.value, level]);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection": {
        if (level + 1 > MAX_DEPTH) return token.offset;
        for (const item of token.items) {
          stack.push([item.value, level + 1]);
          if (item.key) stack.push([item.key, level + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * How many values `value` holds, itself included, counting shared values
 * once per place they appear (as a walker that treats the values as a tree
 * sees them). Stops early and returns a number above `limit` once the count
 * passes it. Results for objects are cached, so asking again about a value
 * (a Globals section inherited by every function) costs nothing.
 */
export function countNodes(value: Value, limit: number, cache: WeakMap<object, number>): number {
  if (value === null || typeof value !== "object") return 1;
  const known = cache.get(value);
  if (known !== undefined) return known;
  let count = 0;
  const stack: Value[] = [value];
  while (stack.length > 0 && count <= limit) {
    const current = stack.pop() as Value;
    if (current !== null && typeof current === "object") {
      const cached = cache.get(current);
      if (cached !== undefined) {
        count += cached;
        continue;
      }
      const children = Array.isArray(current) ? current : Object.values(current);
      for (const child of children) stack.push(child);
    }
    count++;
  }
  // A count cut short is only "more than limit": not cached, it depends on the limit.
  if (count <= limit) cache.set(value, count);
  return count;
}
