import { execFile } from "node:child_process";
import { relative, resolve } from "node:path";

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
  const inRepo = relative(top, resolve(cwd, path)).split("\\").join("/");
  if (inRepo.startsWith("..")) throw new Error(`${path} is outside the repository`);
  try {
    return await git(["show", `${ref}:${inRepo}`], top);
  } catch (error) {
    const message = (error as Error).message;
    if (/does not exist in|exists on disk, but not in/.test(message)) return null;
    throw error;
  }
}
