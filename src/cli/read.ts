import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { discoverTemplates } from "../io/discover.js";
import { MAX_TEMPLATE_BYTES } from "../template/parse.js";
import { UsageError } from "./args.js";

export type ReadResult = { ok: true; text: string } | { ok: false; error: { message: string; line: number; column: number } };

/** Reads a template file, refusing files too large to analyse before reading them. */
export async function readTemplateFile(file: string, cwd: string): Promise<ReadResult> {
  const path = resolve(cwd, file);
  try {
    const info = await stat(path);
    if (info.size > MAX_TEMPLATE_BYTES) {
      return { ok: false, error: { message: `the file is ${Math.round(info.size / 1024 / 1024)} MB; templates over ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB are not analysed`, line: 1, column: 1 } };
    }
    return { ok: true, text: await readFile(path, "utf8") };
  } catch (error) {
    return { ok: false, error: { message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, line: 1, column: 1 } };
  }
}

/** Template discovery for a command: a path that does not exist is a usage error. */
export async function findTemplates(paths: string[], cwd: string): Promise<string[]> {
  try {
    return await discoverTemplates(paths, cwd);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
