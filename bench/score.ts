import { checkTemplates } from "../src/app/check.js";
import { DEFAULT_CONFIG } from "../src/config/defaults.js";

/** Parse + graph + fitness of one template, as `check` does it. */
export function scoreTemplate(file: string, text: string): void {
  checkTemplates([{ file, head: text, base: undefined }], DEFAULT_CONFIG, { toolVersion: "bench", configPath: null });
}
