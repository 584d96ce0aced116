import { isAlias, isMap as isYamlMap, isPair, isScalar, isSeq, visit } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { SourceError } from "./errors.js";
import { SHORT_TAGS, splitGetAttString } from "./intrinsics.js";
import { MAX_DEPTH, MAX_NODES, formatCount, tooDeep, tooManyNodes } from "./limits.js";
import { setChildPosition, setPosition } from "./positions.js";
import type { Position, Value, ValueMap } from "./types.js";
import { firstError, readYaml } from "./yaml-read.js";

export interface SourceResult {
  value: Value;
  /** Values in the resolved document (aliases expanded, merge keys copied), at most MAX_NODES. */
  nodes: number;
  /** Keys written twice in one mapping (the last one wins), for warnings. */
  duplicates: { key: string; position: Position }[];
  /** Lines where an under-indented flow collection was accepted (see flow-indent.ts). */
  repairedLines: number[];
}

/**
 * Parses YAML or JSON template text into plain values, normalising every
 * CloudFormation short tag to its long form and recording source positions.
 * Throws SourceError (with line and column) for anything that is not a single
 * well-formed document, or that goes past MAX_DEPTH or MAX_NODES (limits.ts).
 */
export function parseSource(text: string, format: "yaml" | "json"): SourceResult {
  // JSON allows tabs as whitespace where YAML forbids them as indentation; a raw
  // tab inside a JSON string is invalid JSON anyway, so this is safe and keeps
  // every offset (and so every line and column) unchanged.
  const source = format === "json" ? text.replaceAll("\t", " ") : text;
  const { docs, at, repairedLines } = readYaml(source, format === "yaml");
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
  const converter = new Converter(doc, at);
  const value = converter.convert(doc.contents, 0);
  return { value, nodes: converter.nodes, duplicates: converter.duplicates, repairedLines };
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

/** What converting an anchored node produced: its values and how many levels deep they go below it. */
interface Extent {
  nodes: number;
  height: number;
}

/**
 * Turns the YAML library's nodes into plain values. Each alias is expanded
 * into a fresh copy (values are never shared, so nothing downstream sees the
 * same object twice under different parents), and counted: the first
 * conversion of an anchored node records its extent, so an alias that would
 * take the document past MAX_NODES or MAX_DEPTH is refused at the alias,
 * before anything is expanded. The recursion goes one call per level and the
 * levels are bounded by MAX_DEPTH, aliases included.
 */
class Converter {
  /** Values of the resolved document so far. */
  nodes = 0;
  readonly duplicates: { key: string; position: Position }[] = [];
  /** Built on the first alias: most templates have none, and the index walks the whole document. */
  private anchors: Anchors | null = null;
  private readonly extents = new Map<object, Extent>();
  /** Anchored nodes being converted: an alias to one of them is a cycle. */
  private readonly open = new Set<object>();
  /** Deepest level reached so far, to measure the height of anchored nodes. */
  private deepest = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => Position,
  ) {}

  private position(node: YamlNode): Position {
    return this.at(node.range?.[0] ?? 0);
  }

  private fail(message: string, node: YamlNode): never {
    const pos = this.position(node);
    throw new SourceError(message, pos.line, pos.column);
  }

  /** `depth`: the lists and mappings that contain the node. */
  convert(node: unknown, depth: number): Value {
    if (node === null || node === undefined) {
      this.nodes++;
      return null;
    }
    if (isAlias(node)) return this.expand(node, depth);
    const yamlNode = node as YamlNode;
    if (++this.nodes > MAX_NODES) {
      this.fail(tooManyNodes("a template CloudFormation accepts (at most 1 MB) holds far fewer"), yamlNode);
    }
    if (!yamlNode.anchor) return this.convertTagged(yamlNode, depth);
    const before = this.nodes - 1;
    const deepest = this.deepest;
    this.deepest = depth;
    this.open.add(yamlNode);
    const value = this.convertTagged(yamlNode, depth);
    this.open.delete(yamlNode);
    this.extents.set(yamlNode, { nodes: this.nodes - before, height: this.deepest - depth });
    this.deepest = Math.max(deepest, this.deepest);
    return value;
  }

  private expand(alias: YamlNode & { source: string }, depth: number): Value {
    this.anchors ??= new Anchors(this.doc);
    const name = alias.source;
    const target = this.anchors.resolve(name, alias.range?.[0] ?? 0);
    if (!target) this.fail(`unknown YAML alias *${name}`, alias);
    if (this.open.has(target)) {
      this.fail(`the YAML alias *${name} is inside the value anchored as &${name}: it would repeat itself without end`, alias);
    }
    const extent = this.extents.get(target);
    if (extent && this.nodes + extent.nodes > MAX_NODES) {
      this.fail(tooManyNodes(`the YAML alias *${name} here repeats ${formatCount(extent.nodes)} of them (anchors whose values alias other anchors)`), alias);
    }
    if (extent && depth + extent.height > MAX_DEPTH) {
      this.fail(tooDeep(`the YAML alias *${name} here puts ${extent.height} more levels of lists and mappings below ${depth}`), alias);
    }
    return this.convert(target, depth);
  }

  private convertTagged(node: YamlNode, depth: number): Value {
    const tag = node.tag;
    if (tag === undefined || tag.startsWith("tag:yaml.org,2002:")) return this.convertUntagged(node, depth);
    const long = SHORT_TAGS.get(tag);
    if (!long) this.fail(`unknown tag ${tag}: CloudFormation accepts only its own short-form tags (!Ref, !GetAtt, !Sub, ...)`, node);
    // `!Tag value` becomes `{ "Fn::Tag": value }`: a mapping around the value, one more level and node.
    this.enter(node, depth);
    this.nodes++;
    return this.intrinsic(long, this.convertUntagged(node, depth + 1), node, depth);
  }

  /** A list or mapping at `depth` is at level depth + 1. */
  private enter(node: YamlNode, depth: number): void {
    if (depth + 1 > MAX_DEPTH) this.fail(tooDeep(), node);
    this.deepest = Math.max(this.deepest, depth + 1);
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
      this.enter(node, depth);
      const list: Value[] = [];
      setPosition(list, this.position(node));
      for (const [index, item] of node.items.entries()) {
        if (isAliasOrNode(item)) setChildPosition(list, index, this.position(item));
        list.push(this.convert(item, depth + 1));
      }
      return list;
    }
    if (isYamlMap(node)) {
      this.enter(node, depth);
      // Null prototype: a key such as `__proto__` or `constructor` is an ordinary own key.
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
          // YAML merge key: entries already present win over merged ones. The
          // copies are values of this mapping too, and counted as such.
          for (const source of Array.isArray(value) ? value : [value]) {
            if (source === null || typeof source !== "object" || Array.isArray(source)) continue;
            for (const k of Object.keys(source)) {
              if (k in map) continue;
              map[k] = source[k] as Value;
              this.nodes++;
            }
          }
          if (this.nodes > MAX_NODES) throw new SourceError(tooManyNodes("this merge key (<<) copies the last of them"), keyPos.line, keyPos.column);
          continue;
        }
        if (key in map) this.duplicates.push({ key, position: keyPos });
        map[key] = value;
        setChildPosition(map, key, keyPos);
      }
      // Long-form `Fn::GetAtt: A.B` gets the same list shape as the short form.
      const getAtt = map["Fn::GetAtt"];
      if (typeof getAtt === "string" && Object.keys(map).length === 1) {
        this.enter(node, depth + 1);
        map["Fn::GetAtt"] = splitGetAttString(getAtt);
      }
      return map;
    }
    return this.fail("unsupported YAML node", node);
  }

  /** The long form of a short-tagged value; the mapping it builds is at level depth + 1. */
  private intrinsic(long: string, value: Value, node: YamlNode, depth: number): Value {
    const pos = this.position(node);
    let argument = value;
    if (long === "Fn::GetAtt" && typeof value === "string") {
      this.enter(node, depth + 1);
      argument = splitGetAttString(value);
    }
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
