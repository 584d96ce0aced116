export { evaluateFitness, qualityOf } from "./engine.js";
export type { ScoringSettings } from "./engine.js";
export { computeComplexity, complexityInputs, DEFAULT_LAMBDA, DEFAULT_COMPLEXITY_CAP } from "./complexity.js";
export { compareFitness } from "./delta.js";
export { applyGate } from "./gate.js";
export type { GateOptions } from "./gate.js";
export { readSuppressions, suppressionOf } from "./suppressions.js";
export type { Suppression, Suppressions } from "./suppressions.js";
export type * from "./types.js";
