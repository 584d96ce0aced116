import { LineCounter, isAlias, isMap as isYamlMap, isPair, isScalar, isSeq, parseAllDocuments, visit } from "yaml";
import type { Document, Node as YamlNode, YAMLError } from "yaml";
import { reindentFlowValue } from "./flow-indent.js";
import { SourceError } from "./errors.js";
import { SHORT_TAGS, splitGetAttString } from "./intrinsics.js";
import { setChildPosition, setPosition } from "./positions.js";
import type { Position, Value, ValueMap } from "./types.js";

/** Deepest nesting accepted; real templates stay far below it, hostile ones get a clear error. */
export const MAX_DEPTH = 256;
/** Extra nodes that alias expansion may add beyond the source's own size (billion-laughs guard). */
export const MAX_ALIAS_EXPANSION = 1_000_000;

export interface SourceResult {
  value: Value;
  /** Keys written twice in one mapping (the last one wins), for warnings. */
  duplicates: { key: string; position: Position }[];
  /** Lines where an under-indented flow collection was accepted (see flow-indent.ts). */
  repairedLines: number[];
}

/**
 * Parses YAML or JSON template text into plain values, normalising every
 * CloudFormation short tag to its long form and recording source positions.
 * Throws SourceError (with line and column) for anything that is not a single
 * well-formed document.
 */
export function parseSource(text: string, format: "yaml" | "json"): SourceResult {
  // JSON allows tabs as whitespace where YAML forbids them as indentation; a raw
  // tab inside a JSON string is invalid JSON anyway, so this is safe and keeps
  // every offset (and so every line and column) unchanged.
  let source = format === "json" ? text.replaceAll("\t", " ") : text;
  // Columns added by the flow-indentation repair, per 0-based line, to map positions back.
  const shifts = new Map<number, number>();
  const repairedLines: number[] = [];
  let parsed = parseText(source);
  for (let attempt = 0; attempt < MAX_FLOW_REPAIRS && format === "yaml"; attempt++) {
    const error = firstError(parsed.docs);
    if (!error || error.code !== "BAD_INDENT" || !/^Flow (map|sequence) in block collection/.test(error.message)) break;
    const { line } = parsed.lineCounter.linePos(error.pos[0]);
    const repaired = reindentFlowValue(source, line);
    if (!repaired) break;
    const next = parseText(repaired.text);
    const nextError = firstError(next.docs);
    if (nextError && nextError.code === "BAD_INDENT" && next.lineCounter.linePos(nextError.pos[0]).line === line) break;
    source = repaired.text;
    parsed = next;
    repairedLines.push(line);
    for (const [l, pad] of repaired.shifts) shifts.set(l, (shifts.get(l) ?? 0) + pad);
  }
  const { docs, lineCounter } = parsed;
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    const shift = shifts.get(line - 1) ?? 0;
    return { line, column: Math.max(1, col - shift) };
  };
  if (docs.length === 0) {
    throw new SourceError("the file is empty: a template needs at least a Resources section", 1, 1);
  }
  const [doc, second] = docs;
  if (!doc) throw new SourceError("the file is empty: a template needs at least a Resources section", 1, 1);
  const error = firstError(docs);
  if (error) {
    const pos = at(error.pos[0]);
    throw new SourceError(cleanMessage(error.message), pos.line, pos.column);
  }
  if (second) {
    const pos = at(second.range[0]);
    throw new SourceError("the file holds more than one YAML document; a template is a single document", pos.line, pos.column);
  }
  if (doc.contents === null) throw new SourceError("the file is empty: a template needs at least a Resources section", 1, 1);
  const converter = new Converter(doc, at, MAX_ALIAS_EXPANSION + source.length);
  const value = converter.convert(doc.contents, 0);
  return { value, duplicates: converter.duplicates, repairedLines };
}

/** How many under-indented flow collections one file may have repaired. */
const MAX_FLOW_REPAIRS = 20;

function parseText(source: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    // Duplicate keys are reported by the converter as warnings (last one wins,
    // as in the YAML loaders CloudFormation tooling uses), not as fatal errors.
    uniqueKeys: false,
    strict: false,
    keepSourceTokens: false,
  });
  // parseAllDocuments returns an EmptyStream (not an array) for empty input.
  return { docs: Array.isArray(docs) ? docs : [], lineCounter };
}

function firstError(docs: Document.Parsed[]): YAMLError | undefined {
  for (const doc of docs) if (doc.errors[0]) return doc.errors[0];
  return undefined;
}

function cleanMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").trim();
}

/**
 * The anchors of a document, by name, in source order: an alias refers to
 * the last anchor of its name before it. Built once, so that resolving an
 * alias is a binary search (the library's own `Alias.resolve` walks the
 * whole document each time, which makes many aliases quadratic).
 */
class Anchors {
  private readonly byName = new Map<string, { offset: number; node: unknown }[]>();

  constructor(doc: Document.Parsed) {
    visit(doc, {
      Node: (_key, node) => {
        const anchor = (node as { anchor?: string }).anchor;
        if (!anchor || isAlias(node)) return;
        const offset = (node as YamlNode).range?.[0] ?? 0;
        const list = this.byName.get(anchor) ?? [];
        list.push({ offset, node });
        this.byName.set(anchor, list);
      },
    });
    for (const list of this.byName.values()) list.sort((a, b) => a.offset - b.offset);
  }

  resolve(name: string, offset: number): unknown {
    const list = this.byName.get(name);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    let found: unknown = undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const entry = list[mid] as { offset: number; node: unknown };
      if (entry.offset < offset) {
        found = entry.node;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }
}

class Converter {
  private visits = 0;
  readonly duplicates: { key: string; position: Position }[] = [];
  /** Built on the first alias: most templates have none, and the index walks the whole document. */
  private anchors: Anchors | null = null;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => Position,
    private readonly budget: number,
  ) {}

  private position(node: YamlNode): Position {
    return this.at(node.range?.[0] ?? 0);
  }

  convert(node: unknown, depth: number): Value {
    if (++this.visits > this.budget) {
      const pos = isAliasOrNode(node) ? this.position(node) : { line: 1, column: 1 };
      throw new SourceError("the document expands to too many nodes (YAML aliases nested too deep?)", pos.line, pos.column);
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      this.anchors ??= new Anchors(this.doc);
      const target = this.anchors.resolve(node.source, node.range?.[0] ?? 0);
      if (!target) {
        const pos = this.position(node);
        throw new SourceError(`unknown YAML alias *${node.source}`, pos.line, pos.column);
      }
      return this.convert(target, depth + 1);
    }
    const yamlNode = node as YamlNode;
    if (depth > MAX_DEPTH) {
      const pos = this.position(yamlNode);
      throw new SourceError(`the document is nested more than ${MAX_DEPTH} levels deep`, pos.line, pos.column);
    }
    const value = this.convertUntagged(yamlNode, depth);
    const tag = yamlNode.tag;
    if (tag === undefined || tag.startsWith("tag:yaml.org,2002:")) return value;
    return this.applyTag(tag, value, yamlNode);
  }

  private convertUntagged(node: YamlNode, depth: number): Value {
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return null;
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
      if (typeof v === "bigint") return Number(v);
      return String(v);
    }
    if (isSeq(node)) {
      const list: Value[] = [];
      setPosition(list, this.position(node));
      node.items.forEach((item, index) => {
        if (isAliasOrNode(item)) setChildPosition(list, index, this.position(item));
        list.push(this.convert(item, depth + 1));
      });
      return list;
    }
    if (isYamlMap(node)) {
      const map: ValueMap = Object.create(null) as ValueMap;
      setPosition(map, this.position(node));
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const keyValue = isScalar(keyNode) ? keyNode.value : this.convert(keyNode, depth + 1);
        const keyPos = isAliasOrNode(keyNode) ? this.position(keyNode) : this.position(node);
        if (keyValue !== null && typeof keyValue === "object") {
          throw new SourceError("a mapping key must be a plain value, not a list or mapping", keyPos.line, keyPos.column);
        }
        const key = String(keyValue);
        const value = this.convert(pair.value, depth + 1);
        if (key === "<<" && isYamlMergeable(value)) {
          // YAML merge key: entries already present win over merged ones.
          for (const source of Array.isArray(value) ? value : [value]) {
            if (source === null || typeof source !== "object" || Array.isArray(source)) continue;
            for (const k of Object.keys(source)) if (!(k in map)) map[k] = source[k] as Value;
          }
          continue;
        }
        if (key in map) this.duplicates.push({ key, position: keyPos });
        map[key] = value;
        setChildPosition(map, key, keyPos);
      }
      // Long-form `Fn::GetAtt: A.B` gets the same list shape as the short form.
      const getAtt = map["Fn::GetAtt"];
      if (typeof getAtt === "string" && Object.keys(map).length === 1) map["Fn::GetAtt"] = splitGetAttString(getAtt);
      return map;
    }
    const pos = this.position(node);
    throw new SourceError("unsupported YAML node", pos.line, pos.column);
  }

  private applyTag(tag: string, value: Value, node: YamlNode): Value {
    const long = SHORT_TAGS.get(tag);
    const pos = this.position(node);
    if (!long) {
      throw new SourceError(`unknown tag ${tag}: CloudFormation accepts only its own short-form tags (!Ref, !GetAtt, !Sub, ...)`, pos.line, pos.column);
    }
    let argument = value;
    if (long === "Fn::GetAtt" && typeof value === "string") argument = splitGetAttString(value);
    const intrinsic: ValueMap = Object.create(null) as ValueMap;
    intrinsic[long] = argument;
    setPosition(intrinsic, pos);
    setChildPosition(intrinsic, long, pos);
    if (Array.isArray(argument) && argument !== value) setPosition(argument, pos);
    return intrinsic;
  }
}

function isAliasOrNode(node: unknown): node is YamlNode {
  return node !== null && typeof node === "object" && "range" in node;
}

function isYamlMergeable(value: Value): boolean {
  return value !== null && typeof value === "object";
}
