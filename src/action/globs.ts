/**
 * The `templates` input: glob patterns matched against repository files, and
 * the template names SAM uses by default or that `samconfig` files name.
 * Node 20 has no `fs.glob`, so matching is a small glob-to-RegExp translation
 * (`**`, `*`, `?`, `{a,b}`, `[...]`, leading `!` to exclude).
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, posix, relative, sep } from "node:path";

/** Directories never searched (build output, dependencies, VCS data). */
export const SKIPPED_DIRECTORIES = new Set(["node_modules", ".aws-sam", "cdk.out", ".git"]);
const MAX_FILES = 100_000;

export function globToRegExp(glob: string): RegExp {
  let source = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const slashAfter = glob[i + 2] === "/";
        if (atSegmentStart && slashAfter) {
          source += "(?:[^/]*/)*";
          i += 2;
        } else {
          source += ".*";
          i += 1;
        }
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "{") {
      braces++;
      source += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (char === "," && braces > 0) {
      source += "|";
    } else if (char === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) {
        source += "\\[";
      } else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\").replace(/^!/, "^");
        source += `[${body}]`;
        i = end;
      }
    } else {
      source += char.replace(/[.+^$|()\\\]{}]/g, "\\$&");
    }
  }
  while (braces-- > 0) source += ")";
  return new RegExp(`^${source}$`);
}

/** A predicate over slash-separated relative paths: matches an include pattern and no `!` pattern. */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const normalise = (p: string) => p.replace(/^\.\//, "");
  const include = patterns.filter((p) => !p.startsWith("!")).map((p) => globToRegExp(normalise(p)));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => globToRegExp(normalise(p.slice(1))));
  return (path) => include.some((r) => r.test(path)) && !exclude.some((r) => r.test(path));
}

/** Files under `root`, as slash-separated paths relative to it, skipping SKIPPED_DIRECTORIES. Symlinks are not followed. */
export async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0 && files.length < MAX_FILES) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      } else if (entry.isFile()) {
        files.push(toPosix(relative(root, full)));
      }
    }
  }
  return files.sort();
}

/** Default SAM template names (`sam build` looks for template.yaml / template.yml / template.json). */
export function isDefaultTemplateName(path: string): boolean {
  return /^template\.(ya?ml|json)$/i.test(posix.basename(path));
}

/**
 * Templates named by `samconfig.toml` / `samconfig.yaml` files (`template_file`),
 * as paths relative to `root`. Paths in a samconfig are relative to its folder.
 */
export async function samconfigTemplates(root: string, files: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    if (!/^samconfig\.(toml|ya?ml)$/i.test(name)) continue;
    let text: string;
    try {
      text = await readFile(join(root, file), "utf8");
    } catch {
      continue;
    }
    const pattern = name.endsWith(".toml") ? /^\s*template_file\s*=\s*["']([^"'\n]+)["']/gm : /^\s*template_file\s*:\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/gm;
    for (const match of text.matchAll(pattern)) {
      const value = match[1]?.trim();
      if (!value || value.startsWith("/") || /^[a-z]+:\/\//i.test(value)) continue;
      const joined = posix.normalize(posix.join(toPosix(dirname(file)), toPosix(value)));
      if (!joined.startsWith("../")) found.add(joined);
    }
  }
  return [...found].sort();
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
