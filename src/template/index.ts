export { parseTemplate, MAX_TEMPLATE_BYTES } from "./parse.js";
export { SourceError } from "./errors.js";
export * from "./intrinsics.js";
export { positionOf, positionAlong } from "./positions.js";
export { GLOBALS_SECTIONS } from "./globals.js";
export type * from "./types.js";
