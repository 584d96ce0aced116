/**
 * Template text at the base commit: from git when the checkout has the
 * commit (fetching it once, shallowly, when it does not), else from the
 * GitHub contents API at the base SHA (shallow checkouts without fetch
 * rights, or a fork's base the runner cannot fetch).
 */
import { execFile } from "node:child_process";
import { GitHubApiError } from "../github/errors.js";

export type GitShow = (ref: string, path: string, cwd: string) => Promise<string | null>;
export type FetchFromApi = (path: string, ref: string) => Promise<string | null>;

export interface BaseReaderOptions {
  ref: string;
  repoRoot: string;
  gitShow: GitShow;
  /** `git fetch` of one commit; default runs git. */
  gitFetch?: (ref: string, cwd: string) => Promise<void>;
  /** Contents API fallback; null when there is no token / repository to ask. */
  fromApi: FetchFromApi | null;
  log?: (message: string) => void;
}

/** Returns a reader: path -> text at the base (null when the path does not exist there). */
export function createBaseReader(options: BaseReaderOptions): (path: string) => Promise<string | null> {
  const gitFetch = options.gitFetch ?? fetchCommit;
  const log = options.log ?? (() => undefined);
  let gitState: "untried" | "fetched" | "unusable" = "untried";

  return async (path) => {
    if (gitState !== "unusable") {
      try {
        return await options.gitShow(options.ref, path, options.repoRoot);
      } catch {
        if (gitState === "untried") {
          gitState = "fetched";
          try {
            log(`Fetching base commit ${options.ref.slice(0, 12)} (git fetch --depth=1)`);
            await gitFetch(options.ref, options.repoRoot);
            return await options.gitShow(options.ref, path, options.repoRoot);
          } catch {
            gitState = "unusable";
          }
        } else {
          gitState = "unusable";
        }
        log(`The checkout does not have base commit ${options.ref.slice(0, 12)}; reading base templates through the GitHub API`);
      }
    }
    if (options.fromApi === null) {
      throw new Error(
        `Cannot read ${path} at base commit ${options.ref}: git does not have the commit and no GitHub token is available. Use actions/checkout with fetch-depth: 0, or pass github-token.`,
      );
    }
    try {
      return await options.fromApi(path, options.ref);
    } catch (error) {
      const reason = error instanceof GitHubApiError ? error.message : String(error);
      throw new Error(`Cannot read ${path} at base commit ${options.ref}: ${reason}`);
    }
  };
}

/** `git fetch --no-tags --depth=1 origin <sha>`, bounded to two minutes. */
export function fetchCommit(ref: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!/^[0-9a-f]{7,64}$/i.test(ref)) {
      reject(new Error(`not a commit SHA: ${ref}`));
      return;
    }
    execFile(
      "git",
      ["-c", "protocol.version=2", "fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", ref],
      { cwd, timeout: 120_000, maxBuffer: 1 << 20 },
      (error) => (error ? reject(new Error(`git fetch failed: ${error.message.split("\n")[0] ?? ""}`)) : resolve()),
    );
  });
}
