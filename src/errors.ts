/**
 * The base of every error sam-fitness raises on purpose. Its message is for
 * the user: it names the file, line, input or API call at fault, so front
 * ends print it as it is, without a stack trace (a stack trace means a bug).
 * `kind` says what went wrong: "usage", a mistake in how the tool was called
 * or configured (the CLI exits 2), or "failure", the run could not do its job
 * (the CLI exits 1).
 */
export abstract class SamFitnessError extends Error {
  abstract readonly kind: "usage" | "failure";
}

export function isSamFitnessError(error: unknown): error is SamFitnessError {
  return error instanceof SamFitnessError;
}
