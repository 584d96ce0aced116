import { open, readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";

/** Folders never searched for templates: dependencies and build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", ".aws-sam", "cdk.out", ".git"]);
export const TEMPLATE_EXTENSIONS = /\.(ya?ml|json)$/i;
/** A found file is taken for a template only if it has a top-level Resources key and names an AWS type. */
const LOOKS_LIKE_TEMPLATE = /(^|\n)Resources\s*:|"Resources"\s*:/;

/** True when text has a top-level Resources key and names an AWS type (what directory search looks for). */
export function looksLikeTemplate(text: string): boolean {
  return LOOKS_LIKE_TEMPLATE.test(text) && text.includes("AWS::");
}

/**
 * Expands the paths given on the command line into template files.
 * Files named explicitly are always returned (a bad one must be reported,
 * not skipped). Directories are searched recursively for `*.yaml`, `*.yml`
 * and `*.json` files that look like templates (a top-level `Resources` key
 * and an `AWS::` type), skipping SKIPPED_DIRS and symbolic links.
 * Returned paths are relative to `cwd` when below it, sorted per root.
 */
export async function discoverTemplates(roots: string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (absolute: string): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const rel = relative(cwd, absolute);
    found.push(rel.startsWith("..") ? absolute : rel);
  };
  for (const root of roots) {
    const absolute = resolve(cwd, root);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new Error(`${root}: no such file or directory`);
    if (info.isFile()) {
      add(absolute);
      continue;
    }
    const files: string[] = [];
    await walk(absolute, files);
    files.sort();
    for (const file of files) if (looksLikeTemplate(await readHead(file))) add(file);
  }
  return found;
}

/** How much of a found file is read to tell whether it is a template (a template over the size limit is still found, and then reported as too large). */
const SNIFF_BYTES = 1024 * 1024;

/** The start of a file (all of it when small): a 400 MB data file beside the templates is not read whole. */
async function readHead(file: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } catch {
    return "";
  } finally {
    await handle?.close();
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, out);
    } else if (entry.isFile() && TEMPLATE_EXTENSIONS.test(entry.name)) {
      out.push(path);
    }
  }
}
