import type { TaskEntry } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { cyclesIn, flowOf, hasCondition, switchCasesOf } from './flowGraph.js';
import { quotedList, quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';
import type { TaskIndex } from './taskIndex.js';

/** Whether a task itself ends the workflow (`then: end`, also in a switch case) or raises. */
const endsOrRaises = (entry: TaskEntry): boolean =>
  entry.kind === 'raise' ||
  fieldsOf(entry).then === 'end' ||
  (entry.kind === 'switch' && switchCasesOf(entry).some((c) => c.then === 'end'));

/**
 * The tasks in which something nested, at any depth, ends the workflow or raises an error. Found
 * once, bottom-up: from each task that does, up through the owners of the lists around it,
 * stopping at an owner already marked, so every task is visited a bounded number of times
 * however long the loops are.
 */
function tasksThatEndOrRaiseInside(index: TaskIndex): Set<TaskEntry> {
  const marked = new Set<TaskEntry>();
  for (const entry of index.tasks) {
    if (!endsOrRaises(entry)) continue;
    let owner = index.listOf.get(entry)?.owner;
    while (owner !== undefined && !marked.has(owner)) {
      marked.add(owner);
      owner = index.listOf.get(owner)?.owner;
    }
  }
  return marked;
}

/**
 * Loops through `then` that nothing can leave. A loop is a strongly connected set of tasks in the
 * flow of one list (`flowOf`, which already holds every way control can move: each `then`, each
 * switch case, the fall-through of a switch without default, the skip of an `if`). It can be left
 * when one of its tasks has an edge out of the set, or a condition (`if`) that lets data decide,
 * or raises an error, or nests a `then: end` or a raise, or has a `then` naming no task (its
 * target is unknown; `then-target-missing` reports it). Only a loop with none of these is
 * reported, so the warning is never wrong about the flow: such a loop stops only when a task
 * fails (a call error, a timeout), which may be intended for polling but is worth saying.
 */
export function checkFlowLoops({ document, index }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  let stopsInside: Set<TaskEntry> | undefined;
  for (const list of index.lists) {
    if (list.role === 'function' || list.role === 'branches') continue;
    const flow = flowOf(list);
    for (const cycle of cyclesIn(flow)) {
      const members = new Set(cycle);
      const tasks = cycle.map((position) => list.tasks[position] as TaskEntry);
      const leaves = cycle.some(
        (position) =>
          flow.unresolved.has(position) ||
          (flow.edges[position] ?? []).some(
            (edge) => typeof edge.to !== 'number' || !members.has(edge.to),
          ),
      );
      if (leaves) continue;
      stopsInside ??= tasksThatEndOrRaiseInside(index);
      const inside = stopsInside;
      const canStop = tasks.some(
        (entry) => hasCondition(entry) || entry.kind === 'raise' || inside.has(entry),
      );
      if (canStop) continue;
      // Point at the `then` that jumps back, the one an author would change.
      const back = cycle
        .flatMap((from) =>
          (flow.edges[from] ?? []).filter(
            (edge) => typeof edge.to === 'number' && edge.to <= from && edge.via !== undefined,
          ),
        )
        .at(0);
      const names = tasks.map((entry) => entry.name);
      const what =
        names.length === 1
          ? `task ${quotedName(names[0] as string)} repeats itself`
          : `tasks ${quotedList(names)} form a loop`;
      problems.push(
        problemAt(document, {
          severity: 'warning',
          code: 'flow-loop-without-exit',
          message: `${what} through then that nothing leaves: no task in it has an if, raises an error, ends the workflow or jumps out, so it runs until a task fails`,
          path: back?.via ?? (tasks[0] as TaskEntry).path,
          at: back === undefined ? 'key' : 'value',
        }),
      );
    }
  }
  return problems;
}
