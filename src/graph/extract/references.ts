import { isIntrinsic, isMap } from "../../template/intrinsics.js";
import type { Value } from "../../template/types.js";
import type { GraphBuilder } from "../builder.js";
import { isHelper } from "./access/grants.js";
import { referencedResources } from "./access/roles.js";
import { items } from "./access/statements.js";

/**
 * `reference` edges: weaker dependencies of a function on other resources of
 * the template.
 *
 * - an environment variable holding `!Ref Table`, `!GetAtt Queue.Arn`,
 *   `!Sub "${Bucket}"`: function -> that resource;
 * - the function's `Layers`: function -> layer.
 *
 * Only resources of the template that are graph nodes count (not parameters,
 * literal ARNs or infrastructure such as subnets).
 * This extractor runs last: when any other edge already links the function
 * to the resource, in either direction (it reads the table, the queue
 * triggers it), the reference adds nothing and is left out.
 */
export function extractReferences(graph: GraphBuilder): void {
  const linked = new Set<string>();
  for (const edge of graph.build().edges) {
    linked.add(`${edge.from}\u0000${edge.to}`);
    linked.add(`${edge.to}\u0000${edge.from}`);
  }
  for (const resource of graph.template.resources.values()) {
    if (resource.type !== "AWS::Serverless::Function" && resource.type !== "AWS::Lambda::Function") continue;
    const props = resource.properties;
    const environment = props["Environment"];
    const variables = isMap(environment) && !isIntrinsic(environment) ? environment["Variables"] : undefined;
    if (isMap(variables) && !isIntrinsic(variables)) {
      for (const [name, value] of Object.entries(variables)) add(graph, linked, resource.id, value as Value, variables, name, `env ${name}`);
    }
    items(props["Layers"]).forEach((layer, i) => add(graph, linked, resource.id, layer, props, "Layers", `layer ${i + 1}`));
  }
}

function add(graph: GraphBuilder, linked: Set<string>, from: string, value: Value, container: object, key: string, label: string): void {
  if (value === null || typeof value !== "object") return;
  const line = graph.line({ container, key });
  for (const id of referencedResources(graph, value, container, key)) {
    for (const to of graph.entity(id)) {
      if (to === from || isHelper(graph, to) || !graph.hasNode(to)) continue;
      if (linked.has(`${from}\u0000${to}`)) continue;
      graph.addEdge(from, to, "reference", line, label);
    }
  }
}
