import { createTextMap, createTextSet } from '../dependencies/textKeyedMap.js';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { catchLabel, catchVerdict, raisedErrorLabel, raisedErrorOf } from './errorMatching.js';
import { directiveOf, flowTasksOf, flowTreeOf, targetOf } from './flowTree.js';
import type { FlowList, FlowTarget, FlowTask } from './flowTree.js';
import { endNodeId, startNodeId } from './graphModel.js';
import type { GraphEdge, GraphEdgeKind, GraphNode, WorkflowGraph } from './graphModel.js';
import { nodeAttributes } from './nodeAttributes.js';

export { endNodeId, graphEdgeKinds, startNodeId } from './graphModel.js';
export type {
  GraphEdge,
  GraphEdgeKind,
  GraphNode,
  GraphNodeKind,
  WorkflowGraph,
} from './graphModel.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The edge a completed task takes for its directive; `loop` wins when a for body completes. */
function completionKind(directive: string, target: FlowTarget): GraphEdgeKind {
  if (directive === 'end') return 'end';
  if (directive !== 'exit' && directive !== 'continue') return 'then';
  if (target.loop) return 'loop';
  return directive === 'exit' ? 'exit' : 'next';
}

function completionEdge(task: FlowTask, directive = directiveOf(task)): GraphEdge[] {
  const target = targetOf(task, directive);
  if (target === undefined) return [];
  const kind = completionKind(directive, target);
  // A for body left by `then: exit` also loops: the label keeps the author's intent visible.
  const label = kind === 'loop' && directive === 'exit' ? { label: 'exit' } : {};
  return [{ from: task.id, to: target.to, kind, ...label }];
}

function entryEdges(
  task: FlowTask,
  kind: 'body' | 'branch',
  list: FlowList | undefined,
): GraphEdge[] {
  const targets = kind === 'branch' ? (list?.tasks ?? []) : (list?.tasks ?? []).slice(0, 1);
  return targets.map((target) => ({ from: task.id, to: target.id, kind }));
}

function switchEdges(task: FlowTask): GraphEdge[] {
  const body = task.entry.task as unknown as Record<string, unknown>;
  const cases = Array.isArray(body.switch) ? body.switch : [];
  const edges: GraphEdge[] = [];
  let hasDefault = false;
  for (const item of cases) {
    if (!isObject(item) || Object.keys(item).length !== 1) continue;
    const [name, clause] = Object.entries(item)[0] as [string, unknown];
    const when = isObject(clause) && typeof clause.when === 'string' ? clause.when : undefined;
    const then = isObject(clause) && typeof clause.then === 'string' ? clause.then : 'continue';
    hasDefault ||= when === undefined;
    const target = targetOf(task, then);
    if (target === undefined) continue;
    edges.push({
      from: task.id,
      to: target.to,
      kind: when === undefined ? 'default' : 'case',
      label: when === undefined ? name : `${name}: ${when}`,
    });
  }
  // No case matched and none is the default: the switch completes and its own `then` applies
  // (ctk/switch.feature, "implicit default case").
  if (!hasDefault) {
    const target = targetOf(task, directiveOf(task));
    if (target !== undefined) {
      edges.push({ from: task.id, to: target.to, kind: 'default', label: 'no match' });
    }
  }
  return edges;
}

/** The try's handler: its `catch.do`, or, without one, on past the try (the error is swallowed). */
function catchTarget(tryTask: FlowTask): string | undefined {
  const handler = tryTask.lists.find((list) => list.role === 'catch')?.tasks[0];
  return handler?.id ?? targetOf(tryTask, directiveOf(tryTask))?.to;
}

function raiseEdges(task: FlowTask, workflow: unknown): GraphEdge[] {
  const raise = (task.entry.task as unknown as Record<string, unknown>).raise;
  const error = raisedErrorOf(raise, workflow);
  const label = raisedErrorLabel(raise, workflow);
  const edge = (to: string): GraphEdge => ({
    from: task.id,
    to,
    kind: 'raise',
    ...(label === undefined ? {} : { label }),
  });
  const edges: GraphEdge[] = [];
  // Only a try's `try` list is protected by its catch; an error raised in `catch.do` propagates.
  for (let list = task.list; list.owner !== undefined; list = list.owner.list) {
    if (list.role !== 'try') continue;
    const tryTask = list.owner;
    const clause = (tryTask.entry.task as unknown as Record<string, unknown>).catch;
    const verdict = catchVerdict(error, clause, task.id);
    if (verdict === 'not-caught') continue;
    const to = catchTarget(tryTask);
    if (to !== undefined) edges.push(edge(to));
    if (verdict === 'caught') return edges;
  }
  return [...edges, edge(endNodeId)];
}

/** The edges of one task's own kind: into its body, a switch's cases, a raise's handlers, … */
function kindEdges(task: FlowTask, workflow: unknown): GraphEdge[] {
  const body = task.entry.task as unknown as Record<string, unknown>;
  const [first] = task.lists;
  switch (task.entry.kind) {
    case 'do':
    case 'for':
    case 'fork':
    case 'try': {
      const entries = entryEdges(task, task.entry.kind === 'fork' ? 'branch' : 'body', first);
      const to = task.entry.kind === 'try' ? catchTarget(task) : undefined;
      const handler: GraphEdge[] =
        to === undefined
          ? []
          : [{ from: task.id, to, kind: 'catch', label: catchLabel(body.catch) }];
      // A for task moves on once iteration ends; the others complete at once when their list is empty.
      const completes =
        task.entry.kind === 'for' || first === undefined || first.tasks.length === 0;
      // concat, not push(...): a fork may have more branches than a call may take arguments.
      return entries.concat(handler, completes ? completionEdge(task) : []);
    }
    case 'switch':
      return switchEdges(task);
    case 'raise':
      return raiseEdges(task, workflow);
    default:
      return completionEdge(task);
  }
}

/**
 * One task's edges, each move once: it can be found twice (two nested tries without `catch.do`
 * swallowing a raise on to the same task, a case written twice). Edges of different tasks never
 * repeat each other, so only a task's own are compared.
 */
function withoutRepeats(edges: GraphEdge[]): GraphEdge[] {
  const same = (a: GraphEdge, b: GraphEdge) =>
    a.to === b.to && a.kind === b.kind && a.label === b.label;
  // Most tasks have one to three edges; only a fork or a switch may have many.
  if (edges.length <= 8) {
    return edges.filter((edge, i) => edges.findIndex((other) => same(other, edge)) === i);
  }
  // Keyed by all three: a switch may send thousands of cases to one target.
  const seen = createTextSet();
  return edges.filter((edge) => {
    const key = JSON.stringify([edge.to, edge.kind, edge.label]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function outgoingEdges(task: FlowTask, workflow: unknown): GraphEdge[] {
  const edges = kindEdges(task, workflow);
  // A skipped task's flow directive is skipped with it: control continues in declaration order
  // (spec issue serverlessworkflow/specification#1001, Synapse PR #406).
  if (typeof (task.entry.task as { if?: unknown }).if === 'string') {
    const target = targetOf(task, 'continue');
    if (target !== undefined) edges.push({ from: task.id, to: target.to, kind: 'if-skipped' });
  }
  return edges;
}

function nodeOf(task: FlowTask): GraphNode {
  const kind = task.entry.kind ?? 'unknown';
  return {
    id: task.id,
    label: task.entry.name,
    kind,
    ...(task.list.owner === undefined ? {} : { parent: task.list.owner.id }),
    role: task.list.role,
    attributes: nodeAttributes(kind, task.entry.task),
    reachable: false,
  };
}

function markReachable(nodes: GraphNode[], edges: GraphEdge[]): void {
  // Ids are pointers, as long as the names above them: a text map (see textKeyedMap.ts), read
  // once per edge end; the search itself runs on node positions.
  const positions = createTextMap<number>();
  nodes.forEach((node, position) => positions.set(node.id, position));
  const successors: number[][] = nodes.map(() => []);
  for (const edge of edges) {
    const from = positions.get(edge.from);
    const to = positions.get(edge.to);
    if (from !== undefined && to !== undefined) successors[from]?.push(to);
  }
  const start = positions.get(startNodeId) as number;
  const reached = nodes.map((_, position) => position === start);
  const pending = [start];
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    for (const next of successors[at] ?? []) {
      if (!reached[next]) {
        reached[next] = true;
        pending.push(next);
      }
    }
  }
  nodes.forEach((node, position) => {
    node.reachable = reached[position] ?? false;
  });
}

/**
 * The control flow of a workflow: a start and an end node, one node per task (nested tasks carry
 * their composite task as `parent`), and edges for every way control can move, following the
 * flow directives of dsl-reference.md. Pure and total: malformed parts yield fewer edges, never
 * an exception, and nodes no path reaches are marked `reachable: false`.
 */
export function buildWorkflowGraph(workflow: WorkflowDefinition): WorkflowGraph {
  const root = flowTreeOf(workflow);
  const tasks = flowTasksOf(root);
  const nodes: GraphNode[] = [
    { id: startNodeId, label: 'start', kind: 'start', attributes: {}, reachable: true },
    ...tasks.map(nodeOf),
    { id: endNodeId, label: 'end', kind: 'end', attributes: {}, reachable: false },
  ];
  const edges: GraphEdge[] = [
    { from: startNodeId, to: root.tasks[0]?.id ?? endNodeId, kind: 'next' },
    ...tasks.flatMap((task) => withoutRepeats(outgoingEdges(task, workflow))),
  ];
  markReachable(nodes, edges);
  return { nodes, edges };
}
