/**
 * Which files a pull request changes, with fallbacks: GitHub's list of the
 * PR's files; when that call fails (404, 401, a 5xx that persists, an answer
 * that is not JSON, a socket that never answers), `git diff base...head` in
 * the checkout; when the checkout lacks those commits (a shallow clone),
 * every template. Either fallback is said in a warning and in the report, so a
 * run that scored more (or other) templates than the PR touches says why.
 */
import { changedFiles, isCommit, type ChangedFile } from "../io/git.js";
import type { GitHubClient } from "../github/client.js";
import { listPullFiles, type PullFile, type PullFileStatus } from "../github/pulls.js";
import type { PullRequestInfo } from "./context.js";

export interface PullFiles {
  /** The PR's files; null when they could not be found (analyse every template). */
  files: PullFile[] | null;
  /** Why the files came from a fallback, for the report; null when GitHub listed them. */
  note: string | null;
}

export interface PullFilesSource {
  client: GitHubClient | null;
  owner: string;
  repo: string;
  pullRequest: PullRequestInfo;
  repoRoot: string;
  /** Injected for tests; defaults to git in `repoRoot`. */
  diff?: (base: string, head: string, cwd: string) => Promise<ChangedFile[]>;
}

export async function pullRequestFiles(source: PullFilesSource): Promise<PullFiles> {
  const { client, pullRequest: pr } = source;
  let apiProblem: string;
  if (client === null) {
    apiProblem = "no github-token was given";
  } else {
    try {
      return { files: await listPullFiles(client, { owner: source.owner, repo: source.repo, pullNumber: pr.number }), note: null };
    } catch (error) {
      apiProblem = error instanceof Error ? error.message : String(error);
    }
  }
  const listing = `GitHub's list of the pull request's files could not be read (${apiProblem})`;
  const diff = source.diff ?? changedFiles;
  // The PR head when the checkout holds it; else HEAD (the default checkout's merge commit, whose first parent is the base).
  const head = (await isCommit(pr.headSha, source.repoRoot)) ? pr.headSha : "HEAD";
  try {
    const files = (await diff(pr.baseSha, head, source.repoRoot)).map(toPullFile);
    const note = `${listing}, so the changed templates were found with git diff ${pr.baseSha.slice(0, 7)}...${head === "HEAD" ? "HEAD" : head.slice(0, 7)}.`;
    return { files, note };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const note = `${listing}, and git could not compare the commits (${reason}), so every template was analysed.`;
    return { files: null, note };
  }
}

const STATUS: Readonly<Record<ChangedFile["status"], PullFileStatus>> = { A: "added", M: "modified", T: "modified", D: "removed", R: "renamed", C: "copied" };

function toPullFile(file: ChangedFile): PullFile {
  return { filename: file.path, status: STATUS[file.status], ...(file.status === "R" && file.from !== undefined ? { previous_filename: file.from } : {}) };
}
