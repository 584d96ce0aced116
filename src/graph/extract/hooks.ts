import { isIntrinsic, isMap } from "../../template/intrinsics.js";
import type { Value, ValueMap } from "../../template/types.js";
import type { GraphBuilder } from "../builder.js";
import { resolveTargets } from "./access/grants.js";
import { referencedResources } from "./access/roles.js";
import { branches, items } from "./access/statements.js";

/**
 * Safe-deployment edges.
 *
 * - SAM `DeploymentPreference.Hooks.PreTraffic` / `PostTraffic`: `hook` from
 *   the function being deployed to the hook function, labelled with the phase.
 * - SAM `DeploymentPreference.Alarms`: `reference` function -> alarm.
 * - The translated form: an `AWS::Lambda::Alias` with `UpdatePolicy.
 *   CodeDeployLambdaAliasUpdate` (`BeforeAllowTrafficHook` = PreTraffic,
 *   `AfterAllowTrafficHook` = PostTraffic) and the alarms of the
 *   `AWS::CodeDeploy::DeploymentGroup` it names.
 */
export function extractHooks(graph: GraphBuilder): void {
  for (const resource of graph.template.resources.values()) {
    if (resource.type === "AWS::Serverless::Function") {
      const preference = resource.properties["DeploymentPreference"];
      if (!isMap(preference) || isIntrinsic(preference)) continue;
      const hooks = preference["Hooks"];
      if (isMap(hooks) && !isIntrinsic(hooks)) {
        for (const phase of ["PreTraffic", "PostTraffic"]) addHooks(graph, [resource.id], hooks, phase, phase);
      }
      addAlarms(graph, [resource.id], preference["Alarms"], { container: preference, key: "Alarms" });
    } else if (resource.type === "AWS::Lambda::Alias") {
      const update = resource.raw["UpdatePolicy"];
      const codeDeploy = isMap(update) ? update["CodeDeployLambdaAliasUpdate"] : undefined;
      if (!isMap(codeDeploy) || isIntrinsic(codeDeploy)) continue;
      const functions = graph.entity(resource.id).filter((id) => id !== resource.id);
      if (functions.length === 0) continue;
      addHooks(graph, functions, codeDeploy, "BeforeAllowTrafficHook", "PreTraffic");
      addHooks(graph, functions, codeDeploy, "AfterAllowTrafficHook", "PostTraffic");
      const group = codeDeploy["DeploymentGroupName"];
      if (group === undefined) continue;
      for (const id of referencedResources(graph, group, codeDeploy, "DeploymentGroupName")) {
        const dg = graph.template.resources.get(id);
        const alarmConfig = dg?.type === "AWS::CodeDeploy::DeploymentGroup" ? dg.properties["AlarmConfiguration"] : undefined;
        if (!isMap(alarmConfig)) continue;
        const names = items(alarmConfig["Alarms"]).map((a) => (isMap(a) && !isIntrinsic(a) ? a["Name"] : a)).filter((v): v is Value => v !== undefined);
        addAlarms(graph, functions, names, { container: alarmConfig, key: "Alarms" });
      }
    }
  }
}

function addHooks(graph: GraphBuilder, functions: readonly string[], holder: ValueMap, key: string, phase: string): void {
  for (const value of branches(holder[key])) {
    const at = { container: holder, key };
    // A hook may be written as `!Ref Fn` or as the bare logical ID.
    const targets = typeof value === "string" && graph.template.resources.has(value) ? graph.entity(value) : resolveTargets(graph, value, at);
    for (const fn of functions) for (const hook of targets) if (hook !== fn) graph.addEdge(fn, hook, "hook", graph.line(at), phase);
  }
}

function addAlarms(graph: GraphBuilder, functions: readonly string[], alarms: Value | undefined, at: { container: object; key: string }): void {
  for (const alarm of items(alarms)) {
    const ids = typeof alarm === "string" ? (graph.template.resources.has(alarm) ? [alarm] : []) : resolveTargets(graph, alarm, at);
    for (const fn of functions) for (const id of ids) if (graph.node(id)?.kind === "alarm") graph.addEdge(fn, id, "reference", graph.line(at), "DeploymentPreference alarm");
  }
}
