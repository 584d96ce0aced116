/**
 * The event graph: services and functions are nodes; triggers, data access,
 * invocations, destinations, deployment hooks and weaker references are
 * typed, directed edges. Part of the public JSON contract of `graph --format json`.
 */

export type NodeKind =
  | "function"
  | "state-machine"
  | "api"
  | "graphql-api"
  | "table"
  | "bucket"
  | "queue"
  | "topic"
  | "stream"
  | "event-bus"
  | "rule"
  | "schedule"
  | "log-group"
  | "layer"
  | "user-pool"
  | "alarm"
  | "secret"
  | "key"
  | "parameter-store"
  | "cluster"
  | "database"
  | "cache"
  | "file-system"
  | "iot-rule"
  | "pipe"
  | "pipeline"
  | "stack"
  | "other"
  | "external";

export type EdgeKind = "trigger" | "read" | "write" | "invoke" | "destination" | "hook" | "reference";

export interface GraphNode {
  /** Logical ID; for external nodes a stable name derived from what refers to them. */
  id: string;
  /** CloudFormation resource type (for external nodes, the type inferred from the ARN or parameter, or "External"). */
  type: string;
  kind: NodeKind;
  /** Line of the resource's logical ID (implicit/external nodes: line of the first thing that made them). */
  line: number;
  /** Created by SAM from another resource's properties (ServerlessRestApi, a Schedule event's rule, ...). */
  implicit?: boolean;
  /** For external nodes: the kind of resource the ARN names, when the ARN says. */
  service?: NodeKind;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Line of the property that creates the edge. */
  line: number;
  /** Short human description: the SAM event name and type, the policy template, the IAM actions... */
  label?: string;
}

export interface GraphMetrics {
  nodes: number;
  edges: number;
  nodesByKind: Record<string, number>;
  edgesByKind: Record<string, number>;
  /** Largest number of outgoing / incoming edges of one node, and which node. */
  maxFanOut: { node: string | null; value: number };
  maxFanIn: { node: string | null; value: number };
  /**
   * Number of edges in the longest chain of flow edges (trigger, invoke,
   * destination, write: FLOW_EDGE_KINDS in metrics.ts), a cycle counting once.
   */
  longestTriggerChain: number;
  /**
   * Strongly connected components with more than one node (or a self loop)
   * over the same flow edges; read, hook and reference edges do not close a
   * cycle. The complexity term counts the nodes on these cycles.
   */
  cycles: string[][];
  /** Weakly connected components. */
  components: number;
}

export interface EventGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
