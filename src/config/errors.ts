import { SamFitnessError } from "../errors.js";

/** A configuration problem, naming the key at fault and where it is written. */
export class ConfigError extends SamFitnessError {
  readonly kind = "usage";
  readonly file: string;
  readonly key: string;
  readonly line: number | null;

  constructor(file: string, key: string, line: number | null, problem: string) {
    super(`${file}${line !== null ? `:${line}` : ""}: ${key}: ${problem}`);
    this.name = "ConfigError";
    this.file = file;
    this.key = key;
    this.line = line;
  }
}
