/**
 * The graph algorithms the metrics and the complexity term share, on
 * adjacency lists indexed 0..n-1: Tarjan's strongly connected components
 * (iterative, so deep graphs cannot overflow the stack), the longest path over
 * their condensation, and the nodes that lie on a cycle.
 */

/** Longest path (in edges) over the SCC condensation of `adjacency`. */
export function longestChain(adjacency: number[][]): number {
  const { component, count } = stronglyConnected(adjacency);
  // Tarjan numbers components in reverse topological order: a component's
  // successors all have smaller numbers, so ascending order visits sinks first.
  const longest = new Array<number>(count).fill(0);
  const byComponent: number[][] = Array.from({ length: count }, () => []);
  component.forEach((c, v) => byComponent[c]!.push(v));
  let best = 0;
  for (let c = 0; c < count; c++) {
    let value = 0;
    for (const v of byComponent[c]!) {
      for (const w of adjacency[v]!) {
        const d = component[w] as number;
        if (d !== c) value = Math.max(value, (longest[d] as number) + 1);
      }
    }
    longest[c] = value;
    best = Math.max(best, value);
  }
  return best;
}

/** Tarjan's algorithm, iterative. Components are numbered in reverse topological order. */
export function stronglyConnected(adjacency: number[][]): { component: number[]; count: number } {
  const n = adjacency.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const component = new Array<number>(n).fill(-1);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  let counter = 0;
  let count = 0;
  const work: [number, number][] = [];
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    work.push([root, 0]);
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, i] = frame;
      if (i === 0 && order[v] === -1) {
        order[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      const next = adjacency[v]!;
      if (i < next.length) {
        frame[1] = i + 1;
        const w = next[i] as number;
        if (order[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, order[w] as number);
        continue;
      }
      work.pop();
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          component[w] = count;
        } while (w !== v);
        count++;
      }
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
    }
  }
  return { component, count };
}

/** Nodes on a cycle: members of a component with more than one node, or a node with an edge to itself. */
export function cycleMembers(adjacency: number[][], component: number[], count: number): number[][] {
  const members: number[][] = Array.from({ length: count }, () => []);
  component.forEach((c, v) => members[c]!.push(v));
  return members.filter((list) => list.length > 1 || (list.length === 1 && adjacency[list[0] as number]!.includes(list[0] as number)));
}
