/**
 * Every own property name of Object.prototype: "__proto__", "constructor",
 * "hasOwnProperty", "toString", "valueOf", ... Names a template, a config or a
 * history file may use, and that a lookup in a plain object would find.
 */
export const PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/** YAML (and JSON) double-quoted string. */
export const quoted = (text: string): string => JSON.stringify(text);
