/**
 * Which templates a run analyses, and where each one's base comes from.
 * Pure: the inputs are lists of paths (all slash-separated and relative to
 * the repository root).
 */
import type { PullFile } from "../github/pulls.js";

export interface TemplateTarget {
  /** Name in the report: the head path, or the base path for a deleted template. */
  file: string;
  /** Path at head; null when the PR deletes the template. */
  headPath: string | null;
  /** Path at base; null when the template is new; undefined when there is no base to compare with. */
  basePath: string | null | undefined;
}

export interface SelectionInput {
  /** Templates present in the checkout (discovered or matched by the `templates` globs). */
  candidates: readonly string[];
  /** Would this path be a template if it existed (used for deleted and renamed-away files)? */
  isTemplatePath: (path: string) => boolean;
  /** The PR's files; null outside pull requests. */
  pullFiles: readonly PullFile[] | null;
  /** Analyse every candidate, not only those the PR touches. */
  all: boolean;
  /** Whether a base commit exists (PR base, or the commit before a push). */
  hasBase: boolean;
}

export function selectTemplates(input: SelectionInput): TemplateTarget[] {
  const candidates = new Set(input.candidates);
  const targets = new Map<string, TemplateTarget>();
  const add = (target: TemplateTarget) => {
    if (!targets.has(target.file)) targets.set(target.file, target);
  };

  if (input.pullFiles === null) {
    for (const file of candidates) add({ file, headPath: file, basePath: input.hasBase ? file : undefined });
    return sorted(targets);
  }

  for (const changed of input.pullFiles) {
    const path = changed.filename;
    switch (changed.status) {
      case "removed":
        if (input.isTemplatePath(path)) add({ file: path, headPath: null, basePath: path });
        break;
      case "added":
      case "copied":
        if (candidates.has(path)) add({ file: path, headPath: path, basePath: null });
        break;
      case "renamed": {
        const previous = changed.previous_filename ?? null;
        if (candidates.has(path)) {
          add({ file: path, headPath: path, basePath: previous });
        } else if (previous !== null && input.isTemplatePath(previous)) {
          add({ file: previous, headPath: null, basePath: previous });
        }
        break;
      }
      default:
        if (candidates.has(path)) add({ file: path, headPath: path, basePath: path });
    }
  }
  if (input.all) {
    for (const file of candidates) add({ file, headPath: file, basePath: file });
  }
  return sorted(targets);
}

function sorted(targets: Map<string, TemplateTarget>): TemplateTarget[] {
  return [...targets.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
