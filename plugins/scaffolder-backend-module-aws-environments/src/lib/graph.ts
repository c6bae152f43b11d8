import { ConflictError } from '@backstage/errors';

export interface GraphNode {
  id: string;
  dependsOn: string[];
}

/**
 * Runs `work` for every node as soon as all of its dependencies have finished (not in waves), so the wall time
 * follows the critical path. With `reverse`, a node runs once every node depending on it has finished (teardown).
 * A failed node stops its dependants from starting; nodes already running finish. Rejects with the first failure
 * once everything started has settled.
 */
export async function runGraph<T>(
  nodes: GraphNode[],
  work: (node: GraphNode) => Promise<T>,
  options: { reverse?: boolean } = {},
): Promise<Map<string, T>> {
  const ids = new Set(nodes.map(n => n.id));
  const prerequisites = new Map<string, string[]>();
  for (const node of nodes) prerequisites.set(node.id, []);
  for (const node of nodes) {
    for (const dependency of node.dependsOn.filter(d => ids.has(d))) {
      if (options.reverse) prerequisites.get(dependency)!.push(node.id);
      else prerequisites.get(node.id)!.push(dependency);
    }
  }

  const started = new Map<string, Promise<T>>();
  const visiting = new Set<string>();
  const start = (node: GraphNode): Promise<T> => {
    const existing = started.get(node.id);
    if (existing) return existing;
    if (visiting.has(node.id)) {
      throw new ConflictError(`Dependency cycle through ${node.id}`);
    }
    visiting.add(node.id);
    const before = prerequisites
      .get(node.id)!
      .map(id => start(nodes.find(n => n.id === id)!));
    visiting.delete(node.id);
    const promise = Promise.all(before).then(() => work(node));
    // Failures are collected below; this keeps a dependant's rejection from being reported as unhandled.
    promise.catch(() => undefined);
    started.set(node.id, promise);
    return promise;
  };
  nodes.forEach(start);

  const settled = await Promise.allSettled(nodes.map(n => started.get(n.id)!));
  const results = new Map<string, T>();
  let firstFailure: unknown;
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled')
      results.set(nodes[index].id, outcome.value);
    else if (firstFailure === undefined) firstFailure = outcome.reason;
  });
  if (firstFailure !== undefined) throw firstFailure;
  return results;
}
