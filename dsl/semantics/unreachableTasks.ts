import type { TaskEntry } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { flowOf, reachableIn } from './flowGraph.js';
import { maxQuotedName, quotedName, shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';

/** Why the task before an unreachable one does not continue to it. */
function leavesBy(previous: TaskEntry): string {
  const name = quotedName(previous.name);
  if (previous.kind === 'raise') return `${name} before it raises an error`;
  if (previous.kind === 'switch')
    return `every case of the switch ${name} before it goes elsewhere`;
  return `${name} before it ends with then: ${shortened(String(fieldsOf(previous).then), maxQuotedName)}`;
}

/**
 * Tasks no execution reaches (see `flowOf` for the flow it assumes), each a warning at its name.
 * Branches of a fork all start, and a function is not part of a flow, so neither is checked.
 */
export function checkUnreachableTasks({ document, index }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const list of index.lists) {
    if (list.role === 'function' || list.role === 'branches') continue;
    const flow = flowOf(list);
    const reachable = reachableIn(flow);
    // A reachable task whose then names no task could go anywhere: nothing is surely unreachable.
    if ([...flow.unresolved].some((position) => reachable.has(position))) continue;
    list.tasks.forEach((entry, position) => {
      if (reachable.has(position)) return;
      const previous = list.tasks[position - 1];
      const reason =
        previous !== undefined && reachable.has(position - 1) ? ` (${leavesBy(previous)})` : '';
      problems.push(
        problemAt(document, {
          severity: 'warning',
          code: 'task-unreachable',
          message: `task ${quotedName(entry.name)} can never run: no reachable task continues to it or names it in a then${reason}`,
          path: entry.path,
          at: 'key',
        }),
      );
    });
  }
  return problems;
}
