import { execFile } from "node:child_process";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** Runs git and returns stdout; rejects with git's own message on failure. */
export function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolvePromise(stdout);
    });
  });
}

/** True when `ref` names a commit in the repository at `cwd`. */
export async function isCommit(ref: string, cwd: string): Promise<boolean> {
  if (ref.startsWith("-")) return false;
  return git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd).then(
    () => true,
    () => false,
  );
}

/**
 * The content of `path` (relative to `cwd` or absolute inside the work tree)
 * at commit `ref`; null when the file does not exist there (added by the
 * change). Throws when `ref` is not a commit.
 */
export async function gitShow(ref: string, path: string, cwd: string): Promise<string | null> {
  if (!(await isCommit(ref, cwd))) throw new Error(`${ref} is not a commit in this repository`);
  const top = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const inRepo = pathInCheckout(top, cwd, path);
  if (inRepo === null) throw new Error(`${path} is outside the repository`);
  try {
    return await git(["show", `${ref}:${inRepo}`], top);
  } catch (error) {
    const message = (error as Error).message;
    if (/does not exist in|exists on disk, but not in/.test(message)) return null;
    throw error;
  }
}

export interface Changes {
  /** Absolute path in the working tree -> absolute path it had at the ref. */
  renamed: Map<string, string>;
  /** Absolute paths that existed at the ref and no longer exist. */
  deleted: string[];
}

/**
 * Renames and deletions between commit `ref` and the working tree, over the
 * whole repository (a rename is only seen with both of its paths in the diff).
 */
export async function changesSince(ref: string, cwd: string): Promise<Changes> {
  if (!(await isCommit(ref, cwd))) throw new Error(`${ref} is not a commit in this repository`);
  const top = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const out = await git(["diff", "--name-status", "-M", "-z", "--no-color", ref, "--"], top);
  const fields = out.split("\0");
  const renamed = new Map<string, string>();
  const deleted: string[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++] ?? "";
    if (status === "") continue;
    if (status.startsWith("R") || status.startsWith("C")) {
      const from = fields[i++] ?? "";
      const to = fields[i++] ?? "";
      if (status.startsWith("R")) renamed.set(resolve(top, to), resolve(top, from));
    } else {
      const path = fields[i++] ?? "";
      if (status === "D") deleted.push(resolve(top, path));
    }
  }
  return { renamed, deleted };
}

export interface ChangedFile {
  /** git's status letter: A, M, D, R, C or T. */
  status: "A" | "M" | "D" | "R" | "C" | "T";
  /** Path at `head`, from the top of the checkout, with `/`. */
  path: string;
  /** For R and C: the path at the merge base. */
  from?: string;
}

/**
 * The files a pull request changes, as `git diff --name-status base...head`
 * shows them (from the merge base of the two commits to `head`). Throws when
 * the checkout lacks either commit or their merge base (a shallow clone).
 */
export async function changedFiles(base: string, head: string, cwd: string): Promise<ChangedFile[]> {
  for (const ref of [base, head]) if (!(await isCommit(ref, cwd))) throw new Error(`${ref.slice(0, 12)} is not a commit in this checkout`);
  const top = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const out = await git(["diff", "--name-status", "-M", "-z", "--no-color", `${base}...${head}`, "--"], top);
  const fields = out.split("\0");
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = (fields[i++] ?? "").charAt(0);
    if (code === "") continue;
    if (code === "R" || code === "C") {
      const from = fields[i++] ?? "";
      files.push({ status: code, path: fields[i++] ?? "", from });
    } else if (code === "A" || code === "M" || code === "D" || code === "T") {
      files.push({ status: code, path: fields[i++] ?? "" });
    } else {
      i++; // U (unmerged) or X: not a change a pull request can carry
    }
  }
  return files;
}

/**
 * The committer date of a commit (ISO 8601), or null outside a checkout or
 * for a commit it does not hold. History records carry it, so that the
 * trend is in commit order whatever order the runs finish in.
 */
export async function commitDate(ref: string, cwd: string): Promise<string | null> {
  try {
    const text = (await git(["log", "-1", "--format=%cI", ref, "--"], cwd)).trim();
    const time = Date.parse(text);
    return Number.isNaN(time) ? null : new Date(time).toISOString();
  } catch {
    return null;
  }
}

/** The top folder of the checkout holding `cwd`, or null outside one. */
export async function checkoutRoot(cwd: string): Promise<string | null> {
  try {
    const root = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
    return root === "" ? null : root;
  } catch {
    return null;
  }
}

/** `file` (relative to `cwd`, or absolute) as a path from the checkout's top folder `root`, with `/`; null outside it. */
export function pathInCheckout(root: string, cwd: string, file: string): string | null {
  const rel = relative(root, resolve(cwd, file));
  return rel.startsWith("..") || isAbsolute(rel) ? null : rel.split(sep).join("/");
}
