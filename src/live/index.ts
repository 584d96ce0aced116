/**
 * The live stack check (docs/live-check.md). Importing this module does not
 * load the AWS SDK: the clients are imported when a check runs.
 */
export { runLiveCheck, resolveRegion, DEFAULT_BUDGET_MS, DEFAULT_CONCURRENCY } from "./run.js";
export type { LiveCheckOptions } from "./run.js";
export type * from "./types.js";
export { liveCheckAllowed } from "./guard.js";
export type { RunContext, LiveCheckDecision } from "./guard.js";
