import { isPlainMap } from "./intrinsics.js";
import { copyPositions, positionOf, setChildPosition } from "./positions.js";
import type { Value, ValueMap } from "./types.js";

/** Which resource type each section of SAM's `Globals` applies to. */
export const GLOBALS_SECTIONS: Readonly<Record<string, string>> = {
  Function: "AWS::Serverless::Function",
  Api: "AWS::Serverless::Api",
  HttpApi: "AWS::Serverless::HttpApi",
  SimpleTable: "AWS::Serverless::SimpleTable",
  StateMachine: "AWS::Serverless::StateMachine",
  LayerVersion: "AWS::Serverless::LayerVersion",
  CapacityProvider: "AWS::Serverless::CapacityProvider",
};

/**
 * Merges a Globals section into a resource's properties the way SAM does:
 * maps merge key by key (recursively), lists concatenate (globals first),
 * anything else (strings, numbers, intrinsic functions, mismatched types)
 * takes the resource's own value. Inherited values keep their positions in
 * the Globals section, so findings on them point there.
 */
export function mergeGlobals(globals: ValueMap, local: ValueMap): ValueMap {
  return mergeValue(globals, local) as ValueMap;
}

function mergeValue(global: Value, local: Value | undefined): Value {
  if (local === undefined) return global;
  if (isPlainMap(global) && isPlainMap(local)) {
    const out: ValueMap = Object.create(null) as ValueMap;
    copyPositions(local, out);
    for (const key of Object.keys(global)) {
      out[key] = global[key] as Value;
      const pos = positionOf(global, key);
      if (pos && !(key in local)) setChildPosition(out, key, pos);
    }
    for (const key of Object.keys(local)) {
      out[key] = key in global ? mergeValue(global[key] as Value, local[key]) : (local[key] as Value);
    }
    return out;
  }
  if (Array.isArray(global) && Array.isArray(local)) {
    const out: Value[] = [...global, ...local];
    copyPositions(local, out);
    global.forEach((_, i) => {
      const pos = positionOf(global, i);
      if (pos) setChildPosition(out, i, pos);
    });
    local.forEach((_, i) => {
      const pos = positionOf(local, i);
      if (pos) setChildPosition(out, global.length + i, pos);
    });
    return out;
  }
  return local;
}
