import type { JsonPath, TaskEntry } from '../model/taskLists.js';
import { fieldsOf } from './taskIndex.js';
import type { IndexedTaskList } from './taskIndex.js';
import { isObject } from './valueShapes.js';

/** Where control goes when it leaves a list: `exit` (this list is done) or `end` (the workflow is). */
export type FlowStop = 'exit' | 'end';

export interface FlowEdge {
  /** Position of the next task in the list, or how control leaves the list. */
  to: number | FlowStop;
  /** The `then` (of the task or of a switch case) that sends control there; none when implicit. */
  via: JsonPath | undefined;
  /** Taken only when the task's `if` is false and the task is skipped. */
  skip: boolean;
}

/** The possible successors of each task of one list, by position in `list.tasks`. */
export interface ListFlow {
  list: IndexedTaskList;
  edges: FlowEdge[][];
  /** Positions whose `then` names no task of the list: where they go is unknown. */
  unresolved: Set<number>;
}

/** Whether a task carries an `if` (any value: the schema checks it is a string). */
export const hasCondition = (entry: TaskEntry): boolean => fieldsOf(entry).if !== undefined;

export interface SwitchCase {
  name: string;
  when: unknown;
  then: unknown;
  /** Path of the case body: `[…, 'switch', 2, 'caseName']`. */
  path: JsonPath;
}

/** The cases of a switch task, skipping malformed items. */
export function switchCasesOf(entry: TaskEntry): SwitchCase[] {
  const cases = fieldsOf(entry).switch;
  if (!Array.isArray(cases)) return [];
  return cases.flatMap((item, i) => {
    if (!isObject(item)) return [];
    return Object.entries(item).flatMap(([name, body]) =>
      isObject(body)
        ? [{ name, when: body.when, then: body.then, path: [...entry.path, 'switch', i, name] }]
        : [],
    );
  });
}

// Several rules read the same flows; lists are made afresh for each check, so this cannot go stale.
const flows = new WeakMap<IndexedTaskList, ListFlow>();

/**
 * The flow of one list, over-approximated so that "unreachable" and "cannot leave" are sound:
 * every edge the spec allows is present. A task goes where its `then` says (default `continue`,
 * the next task or, after the last, out of the list). A switch goes to each case's `then`, and
 * also to its own `then` when it has no default case (a case without `when`), because then no
 * case may match. A raise never continues. A task with an `if` may be skipped, and a skipped task
 * continues with the next one.
 */
export function flowOf(list: IndexedTaskList): ListFlow {
  const known = flows.get(list);
  if (known !== undefined) return known;
  const positionByName = new Map<string, number>();
  list.tasks.forEach((entry, position) => {
    if (!positionByName.has(entry.name)) positionByName.set(entry.name, position);
  });
  const next = (position: number): number | FlowStop =>
    position + 1 < list.tasks.length ? position + 1 : 'exit';
  const resolve = (directive: unknown, position: number): number | FlowStop | undefined => {
    if (typeof directive !== 'string' || directive === 'continue') return next(position);
    if (directive === 'exit' || directive === 'end') return directive;
    return positionByName.get(directive);
  };
  const unresolved = new Set<number>();
  const edgeTo = (directive: unknown, via: JsonPath, position: number): FlowEdge[] => {
    const to = resolve(directive, position);
    if (to !== undefined) {
      return [{ to, via: directive === undefined ? undefined : via, skip: false }];
    }
    // `then-target-missing` reports the name; the rules that follow edges must not guess.
    unresolved.add(position);
    return [];
  };

  const edges = list.tasks.map((entry, position): FlowEdge[] => {
    const task = fieldsOf(entry);
    const thenPath = [...entry.path, 'then'];
    const found: FlowEdge[] = [];
    if (entry.kind === 'switch') {
      const cases = switchCasesOf(entry);
      for (const c of cases) found.push(...edgeTo(c.then, [...c.path, 'then'], position));
      if (!cases.some((c) => c.when === undefined)) {
        found.push(...edgeTo(task.then, thenPath, position));
      }
    } else if (entry.kind !== 'raise') {
      found.push(...edgeTo(task.then, thenPath, position));
    }
    if (hasCondition(entry)) found.push({ to: next(position), via: undefined, skip: true });
    return found;
  });
  const flow = { list, edges, unresolved };
  flows.set(list, flow);
  return flow;
}

/** Positions reachable from the first task (all of them in a fork, whose branches all start). */
export function reachableIn(flow: ListFlow): Set<number> {
  const { list, edges } = flow;
  if (list.role === 'branches') return new Set(list.tasks.map((_, i) => i));
  const seen = new Set<number>();
  const pending = list.tasks.length > 0 ? [0] : [];
  while (pending.length > 0) {
    const position = pending.pop() as number;
    if (seen.has(position)) continue;
    seen.add(position);
    for (const edge of edges[position] ?? []) {
      if (typeof edge.to === 'number' && !seen.has(edge.to)) pending.push(edge.to);
    }
  }
  return seen;
}

/** Strongly connected components with a cycle (Tarjan), each as positions in document order. */
export function cyclesIn(flow: ListFlow): number[][] {
  const { edges } = flow;
  const order = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const components: number[][] = [];
  let counter = 0;
  const successors = (v: number) =>
    (edges[v] ?? []).flatMap((e) => (typeof e.to === 'number' ? [e.to] : []));

  // Iterative, so a list of thousands of tasks cannot overflow the stack.
  for (let start = 0; start < edges.length; start++) {
    if (order.has(start)) continue;
    const frames: Array<{ v: number; next: number[] }> = [];
    const open = (v: number) => {
      order.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      frames.push({ v, next: successors(v) });
    };
    open(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      const w = frame.next.shift();
      if (w !== undefined) {
        if (!order.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, order.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) === order.get(frame.v)) {
        const component: number[] = [];
        let w2: number | undefined;
        do {
          w2 = stack.pop() as number;
          onStack.delete(w2);
          component.push(w2);
        } while (w2 !== frame.v);
        const selfLoop = successors(frame.v).includes(frame.v);
        if (component.length > 1 || selfLoop) components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}
