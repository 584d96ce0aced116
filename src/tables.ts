/**
 * Lookups keyed by text that comes from input: a template's resource types,
 * event types, logical IDs, ARN services and policy template names, config
 * and history keys, command names.
 *
 * A plain object answers every member of Object.prototype: `TABLE["valueOf"]`
 * is a function, `TABLE["constructor"]` is `Object`, and assigning
 * `record["__proto__"]` replaces the record's prototype. So:
 *
 * - constant tables are `Table`s (a `ReadonlyMap`, built with `table({...})`):
 *   `get` only finds the entries written there, and `TABLE[key]` does not
 *   compile;
 * - records read from input (JSON, YAML, a report) are read with `own`;
 * - records keyed by input that the code fills are made with `dict()`, which
 *   has no prototype.
 *
 * eslint.config.js refuses module-level `Record<string, ...>` constants in
 * src/ and rules/ so that new tables take the same road.
 */

/** A constant lookup table keyed by strings from input. */
export type Table<V> = ReadonlyMap<string, V>;

/** A `Table` of the entries of an object literal (its own enumerable keys only). */
export function table<V>(entries: { readonly [key: string]: V }): Table<V> {
  return new Map(Object.entries(entries));
}

/** `record[key]` when `record` has that key as an own property, else undefined. */
export function own<V>(record: { readonly [key: string]: V } | null | undefined, key: string): V | undefined {
  return record !== null && record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty record without a prototype, for accumulating values by keys from input. */
export function dict<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/**
 * `JSON.parse` of text from input (a state machine's `DefinitionString`, a
 * `RedrivePolicy` string) with its objects made like the template's maps:
 * without a prototype, so that `key in map` and `map[key]` only see what the
 * text wrote. Throws as `JSON.parse` does.
 */
export function parseJsonData(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? Object.assign(dict<unknown>(), value) : value,
  );
}
