import { intrinsicName, isMap } from "../src/template/intrinsics.js";
import type { Finding, Rule } from "../src/fitness/types.js";
import type { Resource, Template, Value, ValueMap } from "../src/template/types.js";
import { lineAt, lineOf } from "../src/fitness/kit/findings.js";
import { FUNCTION_TYPES, functionBehind, functionsOf, hookFunctions, triggeredFunctions } from "../src/fitness/kit/functions.js";
import { referencedId } from "../src/fitness/kit/policies.js";
import { asList, clamp01, credit, get, isFalse, isSet, valuesAt } from "../src/fitness/kit/values.js";

/** Credit shares: the gradual traffic shift itself, then alarms, then hooks. */
const CORE = 0.6;
const ALARMS = 0.2;
const HOOKS = 0.2;

export const safeDeployments: Rule = {
  id: "safe-deployments",
  title: "Safe deployments (gradual traffic shifting)",
  category: "reliability",
  weight: 3,
  appliesTo: FUNCTION_TYPES,
  docs:
    "Every function invoked by users or events (a `trigger` edge in the event graph, or SAM `Events`) shifts traffic " +
    "gradually on deploy: `AutoPublishAlias` plus a `DeploymentPreference` of a Canary or Linear type (not `AllAtOnce`, " +
    "not `Enabled: false`); `Globals.Function` counts. The gradual shift earns 60% of the credit, CloudWatch `Alarms` " +
    "20% and `PreTraffic`/`PostTraffic` `Hooks` 20%. Plain CloudFormation: an `AWS::Lambda::Alias` with " +
    "`UpdatePolicy.CodeDeployLambdaAliasUpdate` and an `AWS::CodeDeploy::DeploymentGroup` with a Canary/Linear " +
    "`DeploymentConfigName`. Deployment hook functions themselves (`CodeDeployHook_*`, or named in `Hooks`) are exempt. " +
    "The result passes once the gradual shift is in place; alarms and hooks raise the credit.",
  evaluate(context) {
    const { template } = context;
    const triggered = triggeredFunctions(context);
    const hooks = hookFunctions(context);
    const aliases = aliasesByFunction(template);
    const out: Finding[] = [];
    for (const fn of functionsOf(template)) {
      if (hooks.has(fn.id) || !triggered.has(fn.id)) continue;
      out.push(fn.type === "AWS::Serverless::Function" ? judgeSam(template, fn) : judgeCfn(template, fn, aliases.get(fn.id)));
    }
    return out;
  },
};

function result(fn: Resource, core: number, alarms: boolean, hooks: boolean, line: number, problem: string | undefined, fix: string): Finding {
  const score = clamp01(core * (CORE + (alarms ? ALARMS : 0) + (hooks ? HOOKS : 0)));
  const missing = [alarms ? undefined : "no alarms", hooks ? undefined : "no traffic hooks"].filter(Boolean).join(", ");
  const message = problem ?? (missing ? `gradual deployment (${missing})` : "gradual deployment with alarms and hooks");
  const base = { resource: fn.id, score, line, message, pass: core >= 1 };
  return score >= 1 ? base : { ...base, fix };
}

/** Credit for a deployment configuration name: Canary/Linear 1, AllAtOnce 0, a custom configuration half. */
function judgeConfigName(template: Template, value: Value | undefined): number {
  const text = flatten(value);
  if (text === undefined) {
    const target = referencedId(value);
    const config = target ? template.resources.get(target) : undefined;
    if (config?.type === "AWS::CodeDeploy::DeploymentConfig") {
      const type = get(config.properties["TrafficRoutingConfig"], "Type");
      return type === "TimeBasedCanary" || type === "TimeBasedLinear" ? 1 : 0;
    }
    return 0.5;
  }
  if (/allatonce/i.test(text)) return 0;
  return /canary|linear/i.test(text) ? 1 : 0.5;
}

/** A string, or an `Fn::Sub` whose variables all have literal values. */
function flatten(value: Value | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (intrinsicName(value) !== "Fn::Sub") return undefined;
  const args = (value as ValueMap)["Fn::Sub"];
  if (typeof args === "string") return args;
  if (!Array.isArray(args) || typeof args[0] !== "string") return undefined;
  const vars = isMap(args[1]) ? args[1] : undefined;
  return args[0].replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const v = vars?.[name];
    return typeof v === "string" ? v : whole;
  });
}

const SAM_FIX =
  "Add `AutoPublishAlias: live` and `DeploymentPreference: { Type: Canary10Percent5Minutes, Alarms: [...], Hooks: { PreTraffic: !Ref PreTrafficHook } }` (or in Globals.Function).";

function judgeSam(template: Template, fn: Resource): Finding {
  const p = fn.properties;
  if (!isSet(p["AutoPublishAlias"])) return result(fn, 0, false, false, fn.position.line, "no AutoPublishAlias: every deploy shifts all traffic at once", SAM_FIX);
  const pref = p["DeploymentPreference"];
  if (pref === undefined) return result(fn, 0, false, false, lineAt(fn, ["AutoPublishAlias"]), "no DeploymentPreference: deploys shift all traffic at once", SAM_FIX);
  const enabled = credit(valuesAt(p, ["DeploymentPreference", "Enabled"], template), (v) => (isFalse(v) ? 0 : 1)).score;
  if (enabled <= 0) return result(fn, 0, false, false, lineAt(fn, ["DeploymentPreference", "Enabled"]), "DeploymentPreference is disabled", SAM_FIX);
  const type = credit(valuesAt(p, ["DeploymentPreference", "Type"], template), (v) => judgeConfigName(template, v)).score;
  const core = enabled * type;
  // A list must name at least one alarm (`Alarms: []` watches nothing); an intrinsic (a list parameter, !If) counts.
  const alarmList = get(pref, "Alarms");
  const alarms = Array.isArray(alarmList) ? alarmList.length > 0 : isSet(alarmList);
  const hooks = isMap(get(pref, "Hooks")) && (isSet(get(pref, "Hooks", "PreTraffic")) || isSet(get(pref, "Hooks", "PostTraffic")));
  const problem = type <= 0 ? "DeploymentPreference shifts all traffic at once (AllAtOnce)" : core < 1 ? "deployment type cannot be confirmed as canary or linear" : undefined;
  return result(fn, core, alarms, hooks, lineAt(fn, ["DeploymentPreference", "Type"]), problem, SAM_FIX);
}

const CFN_FIX =
  "Publish versions behind an `AWS::Lambda::Alias` with `UpdatePolicy.CodeDeployLambdaAliasUpdate` and an `AWS::CodeDeploy::DeploymentGroup` using a Canary or Linear `DeploymentConfigName`, alarms and traffic hooks.";

function judgeCfn(template: Template, fn: Resource, alias: Resource | undefined): Finding {
  const update = alias ? get(alias.raw["UpdatePolicy"], "CodeDeployLambdaAliasUpdate") : undefined;
  if (!alias || !isMap(update)) return result(fn, 0, false, false, fn.position.line, "no alias with a CodeDeploy update policy: deploys shift all traffic at once", CFN_FIX);
  const group = template.resources.get(referencedId(update["DeploymentGroupName"]) ?? "");
  if (!group || group.type !== "AWS::CodeDeploy::DeploymentGroup") {
    return result(fn, 0.5, false, false, lineOf(update, "DeploymentGroupName", alias.position.line), "the alias update policy names no deployment group in this template", CFN_FIX);
  }
  const core = credit(valuesAt(group.properties, ["DeploymentConfigName"], template), (v) => judgeConfigName(template, v)).score;
  const alarms = asList(get(group.properties["AlarmConfiguration"], "Alarms")).length > 0;
  const hooks = isSet(update["BeforeAllowTrafficHook"]) || isSet(update["AfterAllowTrafficHook"]);
  return result(fn, core, alarms, hooks, lineOf(group.properties, "DeploymentConfigName", group.position.line),
    core <= 0 ? `deployment group ${group.id} shifts all traffic at once` : undefined, CFN_FIX);
}

function aliasesByFunction(template: Template): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const resource of template.resources.values()) {
    if (resource.type !== "AWS::Lambda::Alias") continue;
    const fn = functionBehind(template, referencedId(resource.properties["FunctionName"]));
    if (fn && (!out.has(fn) || isMap(resource.raw["UpdatePolicy"]))) out.set(fn, resource);
  }
  return out;
}
