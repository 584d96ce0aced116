import { parseArgs } from "node:util";
import { SamFitnessError } from "../errors.js";

/** A command-line mistake: printed with the usage text, exit code 2. */
export class UsageError extends SamFitnessError {
  readonly kind = "usage";
  override name = "UsageError";
}

/** Nothing to analyse: the paths given hold no template (exit code 1, so a typo in CI is not green). */
export class NoTemplatesError extends SamFitnessError {
  readonly kind = "failure";
  override name = "NoTemplatesError";
}

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** Parses a command's arguments, turning node's parse errors into UsageErrors. */
export function parseCommand(argv: string[], options: OptionSpec): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function oneOf<T extends string>(name: string, value: string | boolean | string[] | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got ${String(value)})`);
}

export function optionalNumber(name: string, value: string | boolean | string[] | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got ${String(value)})`);
  return n;
}

export function optionalString(value: string | boolean | string[] | undefined): string | null {
  return typeof value === "string" ? value : null;
}
