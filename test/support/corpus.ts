import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shared template corpus, beside the repository (../shared/corpus). */
export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

export function corpusPath(relative: string): string {
  return `${CORPUS}${relative}`;
}

export function readCorpus(relative: string): string {
  return readFileSync(corpusPath(relative), "utf8");
}

/** Files of a corpus folder, sorted, as paths relative to the corpus. */
export function corpusFiles(folder: string, filter: (name: string) => boolean = () => true): string[] {
  return readdirSync(corpusPath(folder))
    .filter(filter)
    .sort()
    .map((name) => `${folder}/${name}`);
}

/** Templates in serverless-patterns that are invalid YAML as published (see the corpus README). */
export const INVALID_PATTERNS = new Set([
  "serverless-patterns/apigw-custom-domain-edge__template.yaml",
  "serverless-patterns/rds-sns-event-notification__template.yaml",
]);
