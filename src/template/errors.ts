import { SamFitnessError } from "../errors.js";

/** A problem in a template's source, with the 1-based line and column it is at. */
export class SourceError extends SamFitnessError {
  readonly kind = "usage";
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = "SourceError";
    this.line = line;
    this.column = column;
  }
}
