import { SourceError } from "./errors.js";
import { GLOBALS_SECTIONS, mergeGlobals } from "./globals.js";
import { collectReferences, isMap, isPlainMap } from "./intrinsics.js";
import { MAX_NODES, countNodes, formatCount, tooManyNodes } from "./limits.js";
import { copyPositions, positionOf } from "./positions.js";
import type { Diagnostic, ParseResult, Position, Resource, Severity, Template, Value, ValueMap } from "./types.js";
import { parseSource } from "./yaml-source.js";

/** Templates larger than this are refused rather than parsed (CloudFormation's own limit is 1 MB). */
export const MAX_TEMPLATE_BYTES = 20 * 1024 * 1024;

const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
const START: Position = { line: 1, column: 1 };
const GLOBALS_BY_TYPE = new Map(Object.entries(GLOBALS_SECTIONS).map(([section, type]) => [type, section]));

/** Resource IDs SAM creates on its own and that templates may reference. */
const SAM_IMPLICIT_IDS = new Set(["ServerlessRestApi", "ServerlessHttpApi", "ServerlessDeploymentApplication"]);

/**
 * Parses one template. Never throws for bad input: a template that cannot be
 * read as CloudFormation gives `{ok: false}` with a message and position.
 */
export function parseTemplate(text: string, file: string): ParseResult {
  try {
    return { ok: true, template: buildTemplate(text, file) };
  } catch (error) {
    if (error instanceof SourceError) {
      return { ok: false, file, error: { severity: "error", message: error.message, line: error.line, column: error.column } };
    }
    if (error instanceof RangeError) {
      // Stack exhaustion inside the YAML library on pathological input.
      const why = /call stack/i.test(error.message) ? "the document is nested too deeply to parse" : `cannot parse the template: ${error.message}`;
      return { ok: false, file, error: { severity: "error", message: why, line: 1, column: 1 } };
    }
    throw error;
  }
}

/**
 * A `.json` template must be JSON, as CloudFormation reads it: the YAML
 * reader that gives the positions would accept a trailing comma or a tab in
 * a string without a word. JSON's own error is reported at its place.
 */
function checkStrictJson(text: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) return; // too deep for JSON.parse: the YAML reader reports it
    const message = error.message.replace(/\s*\(line \d+ column \d+\)$/, "");
    const offset = jsonErrorOffset(message, text);
    const before = offset === null ? "" : text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset === null ? 1 : offset - before.lastIndexOf("\n");
    const said = message
      .replace(/ in JSON at position \d+/, "")
      .replace(/ after JSON at position \d+/, " after the JSON value")
      .replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, "$1");
    throw new SourceError(`invalid JSON: ${said}`, line, column);
  }
}

/**
 * Where JSON.parse stopped: its "at position N", or, for "Unexpected token",
 * the excerpt it quotes (V8 shows up to 10 characters before the token, with
 * "..." when it cut the start), found in the text; the end for a truncated
 * document; null when the message says nothing usable.
 */
function jsonErrorOffset(message: string, text: string): number | null {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  const quoted = /^Unexpected token '(.+?)', (\.\.\.)?"(.*?)"(\.\.\.)? is not valid JSON$/s.exec(message);
  if (!quoted) return null;
  const [, token = "", cut, excerpt = ""] = quoted;
  const at = text.indexOf(excerpt);
  if (at < 0) return null;
  return cut ? at + 10 : at + Math.max(0, excerpt.indexOf(token));
}

function detectFormat(text: string): "yaml" | "json" {
  const first = /\S/.exec(text);
  return first && (first[0] === "{" || first[0] === "[") ? "json" : "yaml";
}

function fail(message: string, pos: Position | undefined): never {
  const p = pos ?? START;
  throw new SourceError(message, p.line, p.column);
}

function buildTemplate(text: string, file: string): Template {
  if (text.length > MAX_TEMPLATE_BYTES) {
    fail(`the file is ${Math.round(text.length / 1024 / 1024)} MB; templates over ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB are not analysed`, START);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkText(text);
  const format = detectFormat(text);
  if (format === "json" && /\.json$/i.test(file)) checkStrictJson(text);
  const { value: root, nodes, duplicates, repairedLines } = parseSource(text, format);
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    const what = Array.isArray(root) ? "a list" : root === null ? "empty" : `a single ${typeof root} value`;
    fail(`not a CloudFormation template: the document is ${what}, not a mapping with a Resources section`, positionOf(root) ?? START);
  }
  const resourcesValue = root["Resources"];
  if (resourcesValue === undefined) fail("not a CloudFormation template: there is no Resources section", START);
  if (!isPlainMap(resourcesValue)) fail("Resources must be a mapping of logical IDs to resources", positionOf(root, "Resources"));

  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, message: string, pos: Position | undefined): void => {
    const p = pos ?? START;
    diagnostics.push({ severity, message, line: p.line, column: p.column });
  };
  const warn = (message: string, pos: Position | undefined): void => report("warning", message, pos);
  for (const duplicate of duplicates) warn(`duplicate key ${duplicate.key}: the last one is used`, duplicate.position);
  for (const line of repairedLines) {
    warn("this flow collection ([...] or {...}) is indented less than its key: strict YAML parsers reject it", { line, column: 1 });
  }

  // SAM semantics apply when the transform is declared, and also to templates
  // that use SAM resources or Globals without declaring it (SAM's own test
  // inputs, snippets): the resources only make sense transformed.
  const isSam =
    declaresSamTransform(root["Transform"]) ||
    root["Globals"] !== undefined ||
    Object.values(resourcesValue).some((r) => isPlainMap(r) && typeof r["Type"] === "string" && r["Type"].startsWith("AWS::Serverless::"));
  const globals = isSam && isPlainMap(root["Globals"]) ? root["Globals"] : undefined;
  const inheritance = globals ? new Inheritance(globals, nodes) : undefined;

  const resources = new Map<string, Resource>();
  const ids = Object.keys(resourcesValue);
  if (ids.length === 0) warn("the Resources section is empty", positionOf(root, "Resources"));
  for (const id of ids) {
    const raw = resourcesValue[id];
    const position = positionOf(resourcesValue, id) ?? START;
    // AWS::LanguageExtensions loops generate resources at deploy time; they are valid, only not expanded here.
    if (id.startsWith("Fn::ForEach::")) {
      warn(`${id} (AWS::LanguageExtensions) is not expanded: the resources it generates are not analysed`, position);
      continue;
    }
    // A broken resource is reported and left out; the rest of the template is still analysed.
    if (!isPlainMap(raw)) {
      report("error", `resource ${id} is not a mapping with a Type; it is left out of the analysis`, position);
      continue;
    }
    const type = raw["Type"];
    if (typeof type !== "string" || type.length === 0) {
      const what = type === undefined ? "has no Type" : "has a Type that is not a string";
      // CloudFormation rejects such a template; the SAM translator passes the resource through.
      report("error", `resource ${id} ${what}; it is left out of the analysis`, type === undefined ? position : positionOf(raw, "Type"));
      continue;
    }
    const props = raw["Properties"];
    if (props !== undefined && props !== null && !isMap(props)) {
      report("error", `Properties of ${id} must be a mapping; they are ignored`, positionOf(raw, "Properties"));
    }
    let properties: ValueMap = isMap(props) ? props : (Object.create(null) as ValueMap);
    const section = GLOBALS_BY_TYPE.get(type);
    if (globals && section) {
      const sectionGlobals = globals[section];
      const inherited = isPlainMap(sectionGlobals) ? inheritance?.take(section, sectionGlobals, raw["IgnoreGlobals"]) : undefined;
      if (inherited) properties = mergeGlobals(inherited, properties);
    }
    const metadata = raw["Metadata"];
    const condition = raw["Condition"];
    const dependsOn = raw["DependsOn"];
    resources.set(id, {
      id,
      type,
      properties,
      raw,
      metadata: isPlainMap(metadata) ? metadata : undefined,
      condition: typeof condition === "string" ? condition : undefined,
      dependsOn: typeof dependsOn === "string" ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn.filter((d): d is string => typeof d === "string") : [],
      position,
    });
  }

  const parameters = new Map<string, { type: string | undefined; position: Position; raw: ValueMap }>();
  const parametersValue = root["Parameters"];
  if (isPlainMap(parametersValue)) {
    for (const name of Object.keys(parametersValue)) {
      const raw = parametersValue[name];
      const map = isPlainMap(raw) ? raw : (Object.create(null) as ValueMap);
      const type = map["Type"];
      parameters.set(name, { type: typeof type === "string" ? type : undefined, position: positionOf(parametersValue, name) ?? START, raw: map });
    }
  }
  const conditionsValue = root["Conditions"];
  const conditions = new Set(isPlainMap(conditionsValue) ? Object.keys(conditionsValue) : []);
  const outputs = isPlainMap(root["Outputs"]) ? root["Outputs"] : undefined;

  const template: Template = { file, isSam, format, resources, parameters, conditions, globals, outputs, diagnostics, root };
  checkReferences(template, resourcesValue, warn);
  return template;
}

/**
 * The Globals each resource inherits, counted against MAX_NODES: merging
 * shares the inherited values (they are not copied), but every walker after
 * this one reads each resource's properties as a tree, so a Globals section
 * of N values inherited by M functions costs N x M. Counted before anything
 * is merged, so that the merge itself stays within the bound too.
 */
class Inheritance {
  private readonly sizes = new WeakMap<object, number>();
  private readonly heirs = new Map<string, number>();

  constructor(
    private readonly globals: ValueMap,
    private nodes: number,
  ) {}

  /**
   * The part of `Globals.<section>` a resource inherits, minus what its
   * `IgnoreGlobals` attribute opts out of: `"*"` for all of it, or a list of
   * property names. Throws when the template, with it, exceeds MAX_NODES.
   */
  take(section: string, sectionGlobals: ValueMap, ignore: Value | undefined): ValueMap | undefined {
    if (ignore === "*") return undefined;
    const ignored = new Set(Array.isArray(ignore) ? ignore.filter((name): name is string => typeof name === "string") : []);
    const keys = Object.keys(sectionGlobals).filter((key) => !ignored.has(key));
    const heirs = (this.heirs.get(section) ?? 0) + 1;
    this.heirs.set(section, heirs);
    for (const key of keys) {
      this.nodes += countNodes(sectionGlobals[key] as Value, MAX_NODES, this.sizes);
      if (this.nodes > MAX_NODES) {
        const size = formatCount(countNodes(sectionGlobals, MAX_NODES, this.sizes));
        const detail = `Globals.${section} (${size} nodes) is merged into each of its ${formatCount(heirs)} resources so far`;
        fail(tooManyNodes(detail), positionOf(this.globals, section));
      }
    }
    if (ignored.size === 0) return sectionGlobals;
    // Null prototype, as every map of the model: `__proto__` stays an ordinary key.
    const kept: ValueMap = Object.create(null) as ValueMap;
    for (const key of keys) kept[key] = sectionGlobals[key] as Value;
    copyPositions(sectionGlobals, kept);
    return kept;
  }
}

/**
 * Text a template cannot hold: YAML and JSON both forbid control characters
 * other than tab, line feed and carriage return, so one of them (a NUL byte
 * most often) means a binary file, or a text file broken in transit.
 */
function checkText(text: string): void {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (!control) return;
  const before = text.slice(0, control.index);
  const line = before.split("\n").length;
  const column = control.index - before.lastIndexOf("\n");
  const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  fail(`the file holds the control character U+${code}, which a template cannot: is it a binary file?`, { line, column });
}

function declaresSamTransform(transform: Value | undefined): boolean {
  if (typeof transform === "string") return transform === SAM_TRANSFORM;
  if (Array.isArray(transform)) return transform.some((t) => t === SAM_TRANSFORM);
  return false;
}

/** Warns about Ref / GetAtt / Sub references to logical IDs the template does not define. */
function checkReferences(template: Template, resourcesValue: ValueMap, warn: (message: string, pos: Position | undefined) => void): void {
  const known = (target: string): boolean => {
    if (target.startsWith("AWS::")) return true;
    if (template.resources.has(target) || template.parameters.has(target)) return true;
    if (!template.isSam) return false;
    if (SAM_IMPLICIT_IDS.has(target)) return true;
    // SAM derives the IDs of what it generates from the resource's own ID:
    // MyFunctionRole, MyFunctionAliaslive, MyApiProdStage, ...
    for (const id of template.resources.keys()) if (target.startsWith(id)) return true;
    return false;
  };
  const sections: [ValueMap, string][] = [[resourcesValue, "Resources"]];
  if (template.outputs) sections.push([template.outputs, "Outputs"]);
  for (const [section] of sections) {
    for (const id of Object.keys(section)) {
      for (const ref of collectReferences(section[id] as Value, section, id)) {
        if (known(ref.target)) continue;
        const how = ref.via === "Sub" ? `\${${ref.target}}` : ref.via === "GetAtt" ? `!GetAtt ${ref.target}` : `!Ref ${ref.target}`;
        warn(`${how} refers to ${ref.target}, which is not a resource or parameter of this template`, positionOf(ref.container, ref.key));
      }
    }
  }
}
