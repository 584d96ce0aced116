/**
 * Turns the inputs and the event into the pipeline's input: which templates,
 * their head text (working tree) and their base text (git, else the GitHub
 * contents API). All report paths are relative to the repository root, so
 * annotations and links land on the right file.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { TemplateInput } from "../app/check.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { discoverTemplates, looksLikeTemplate } from "../io/discover.js";
import { git, gitShow } from "../io/git.js";
import type { GitHubClient } from "../github/client.js";
import { getFileAtRef, type PullFile } from "../github/pulls.js";
import { createBaseReader } from "./base-content.js";
import type { RunContext } from "./context.js";
import { globMatcher, isDefaultTemplateName, listFiles, samconfigTemplates, toPosix } from "./globs.js";
import type { ActionInputs } from "./inputs.js";
import { pullRequestFiles } from "./pull-files.js";
import { selectTemplates, type TemplateTarget } from "./select.js";

export interface RunPlan {
  repoRoot: string;
  workingDir: string;
  /** Base commit compared against, or null. */
  baseRef: string | null;
  targets: TemplateTarget[];
  inputs: TemplateInput[];
  /**
   * The commit the templates were read at: the checkout's HEAD. On a
   * pull_request run with the default checkout that is GitHub's merge commit
   * (the PR merged into its base), not the PR's head; null outside git.
   */
  analysedCommit: string | null;
  /** Why the PR's files came from a fallback (git, or every template), for the report; null otherwise. */
  scopeNote: string | null;
}

const TEMPLATE_EXTENSION = /\.(ya?ml|json|template)$/i;

export async function planRun(
  inputs: ActionInputs,
  context: RunContext,
  client: GitHubClient | null,
  log: (message: string) => void,
): Promise<RunPlan> {
  const repoRoot = resolve(context.workspace);
  const workingDir = resolve(repoRoot, inputs.workingDirectory);
  const underWorkingDir = toPosix(relative(repoRoot, workingDir));
  if (underWorkingDir.startsWith("..") || isAbsolute(underWorkingDir)) {
    throw new Error(`working-directory "${inputs.workingDirectory}" is outside the workspace`);
  }
  const prefix = underWorkingDir === "" ? "" : `${underWorkingDir}/`;
  const toRepoPath = (pathInWorkingDir: string) => `${prefix}${pathInWorkingDir}`;

  const { candidates, isTemplatePath } = await findCandidates(inputs, workingDir, prefix, toRepoPath);
  const pr = context.pullRequest;
  const baseRef = pr ? pr.baseSha : context.pushBefore;

  let pullFiles: PullFile[] | null = null;
  let scopeNote: string | null = null;
  if (pr) {
    ({ files: pullFiles, note: scopeNote } = await pullRequestFiles({ client, owner: context.owner, repo: context.repo, pullRequest: pr, repoRoot }));
  }
  // A PR that changes the config (weights, thresholds, disabled rules) changes every template's score.
  const configPath = inputs.config === null ? DEFAULT_CONFIG_PATH : toPosix(relative(repoRoot, resolve(workingDir, inputs.config)));
  const configChanged = pullFiles?.some((f) => f.filename === configPath || f.previous_filename === configPath) ?? false;
  if (configChanged && inputs.scope !== "all") log(`The pull request changes ${configPath}: every template is analysed.`);
  const targets = selectTemplates({
    candidates,
    isTemplatePath,
    pullFiles,
    all: inputs.scope === "all" || configChanged,
    hasBase: baseRef !== null,
  });

  const readBase =
    baseRef === null
      ? null
      : createBaseReader({
          ref: baseRef,
          repoRoot,
          gitShow,
          fromApi: client ? (path, ref) => getFileAtRef(client, { owner: context.owner, repo: context.repo, path, ref }) : null,
          log,
        });

  const planned: TemplateInput[] = [];
  const kept: TemplateTarget[] = [];
  for (const target of targets) {
    const head = target.headPath === null ? null : await readFile(join(repoRoot, target.headPath), "utf8").catch(() => null);
    let base: string | null | undefined = undefined;
    if (target.basePath !== undefined) base = target.basePath === null || readBase === null ? null : await readBase(target.basePath);
    if (head === null && (base === null || base === undefined)) continue;
    // A deleted file is only a template if its base text looks like one.
    if (head === null && typeof base === "string" && !looksLikeTemplate(base)) continue;
    kept.push(target);
    planned.push({ file: target.file, head, base: readBase === null && target.basePath !== undefined ? undefined : base });
  }
  const analysedCommit = await git(["rev-parse", "HEAD"], repoRoot).then((sha) => sha.trim() || null, () => null);
  return { repoRoot, workingDir, baseRef, targets: kept, inputs: planned, analysedCommit, scopeNote };
}

/** Templates present at head (repo-relative), and a predicate for paths that would be templates. */
async function findCandidates(
  inputs: ActionInputs,
  workingDir: string,
  prefix: string,
  toRepoPath: (path: string) => string,
): Promise<{ candidates: string[]; isTemplatePath: (repoPath: string) => boolean }> {
  const inWorkingDir = (repoPath: string): string | null => (repoPath.startsWith(prefix) ? repoPath.slice(prefix.length) : null);
  if (inputs.templates.length > 0) {
    const matches = globMatcher(inputs.templates);
    const files = await listFiles(workingDir);
    return {
      candidates: files.filter(matches).map(toRepoPath),
      isTemplatePath: (repoPath) => {
        const local = inWorkingDir(repoPath);
        return local !== null && matches(local);
      },
    };
  }
  const files = await listFiles(workingDir);
  const named = await samconfigTemplates(workingDir, files);
  const discovered = (await discoverTemplates([workingDir], workingDir)).map((p) => toPosix(isAbsolute(p) ? relative(workingDir, p) : p));
  const present = new Set(files);
  const candidates = [...new Set([...discovered, ...named.filter((p) => present.has(p))])].sort().map(toRepoPath);
  const namedSet = new Set(named);
  return {
    candidates,
    isTemplatePath: (repoPath) => {
      const local = inWorkingDir(repoPath);
      return local !== null && (TEMPLATE_EXTENSION.test(local) || isDefaultTemplateName(local) || namedSet.has(local));
    },
  };
}
