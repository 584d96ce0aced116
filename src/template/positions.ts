import type { Position } from "./types.js";

/**
 * Source positions, kept beside the values rather than in them.
 *
 * For every object or array built from the source, `selfPositions` holds where
 * the collection starts and `childPositions` where each key (maps) or element
 * (arrays) starts. WeakMaps: positions live as long as the values do.
 */
const selfPositions = new WeakMap<object, Position>();
const childPositions = new WeakMap<object, Map<string | number, Position>>();

export function setPosition(container: object, pos: Position): void {
  selfPositions.set(container, pos);
}

export function setChildPosition(container: object, key: string | number, pos: Position): void {
  let children = childPositions.get(container);
  if (!children) {
    children = new Map();
    childPositions.set(container, children);
  }
  children.set(key, pos);
}

/**
 * Where `container[key]` is written (the key of a map entry, the start of an
 * array element), or where the container itself starts when no key is given
 * or the key is unknown.
 */
export function positionOf(container: unknown, key?: string | number): Position | undefined {
  if (container === null || typeof container !== "object") return undefined;
  if (key !== undefined) {
    const pos = childPositions.get(container)?.get(key);
    if (pos) return pos;
  }
  return selfPositions.get(container);
}

/**
 * The position of the deepest existing node along `path` below `container`:
 * the property at fault when it exists, else its nearest existing parent.
 */
export function positionAlong(container: unknown, path: readonly (string | number)[]): Position | undefined {
  let best = positionOf(container);
  let current: unknown = container;
  for (const key of path) {
    if (current === null || typeof current !== "object") break;
    const pos = childPositions.get(current)?.get(key);
    if (pos) best = pos;
    const next: unknown = (current as Record<string | number, unknown>)[key];
    if (next === undefined) break;
    current = next;
  }
  return best;
}

/** Copies the position records of `from` onto `to` (used when values are cloned). */
export function copyPositions(from: object, to: object): void {
  const self = selfPositions.get(from);
  if (self) selfPositions.set(to, self);
  const children = childPositions.get(from);
  if (children) childPositions.set(to, new Map(children));
}
