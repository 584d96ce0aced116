/**
 * The normalised template model.
 *
 * Values are plain JSON-like data: strings, numbers, booleans, null, arrays
 * and null-prototype objects. Every CloudFormation intrinsic, whether written
 * as a YAML short tag (`!GetAtt A.B`) or in long form (`Fn::GetAtt: [A, B]`),
 * is normalised to its long JSON form (`{ "Fn::GetAtt": ["A", "B"] }`), so the
 * rest of the pipeline handles YAML and JSON templates the same way.
 *
 * Source positions live beside the values (see positions.ts), keyed by the
 * object or array that holds them, so the values stay plain.
 */

export type Value = string | number | boolean | null | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

/** 1-based line and column in the template's source text. */
export interface Position {
  line: number;
  column: number;
}

export type Severity = "error" | "warning";

/** A finding about the template itself (not a fitness finding). */
export interface Diagnostic {
  severity: Severity;
  message: string;
  line: number;
  column: number;
}

export interface Resource {
  /** Logical ID. */
  id: string;
  type: string;
  /** Properties after SAM Globals were merged in (a fresh object, never shared with `raw`). */
  properties: ValueMap;
  /** The resource's whole definition as written (Type, Properties, Metadata, Condition, ...). */
  raw: ValueMap;
  metadata: ValueMap | undefined;
  condition: string | undefined;
  dependsOn: string[];
  /** Where the logical ID is written. */
  position: Position;
}

export interface Template {
  file: string;
  /** True when the template declares the SAM transform. */
  isSam: boolean;
  format: "yaml" | "json";
  resources: Map<string, Resource>;
  parameters: Map<string, { type: string | undefined; position: Position; raw: ValueMap }>;
  conditions: Set<string>;
  /** The merged `Globals` section as written (SAM), keyed by section (Function, Api, ...). */
  globals: ValueMap | undefined;
  outputs: ValueMap | undefined;
  /** Non-fatal findings: missing references, unsupported constructs, ... */
  diagnostics: Diagnostic[];
  /** The document root (after normalisation). */
  root: ValueMap;
}

export type ParseResult =
  | { ok: true; template: Template }
  | { ok: false; file: string; error: Diagnostic };
