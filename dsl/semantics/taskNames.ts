import type { TaskEntry } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';

/**
 * Task names are unique within their list: `then` targets a task by name, and error instances
 * and lifecycle events identify it by name too. Reported at the second occurrence's key.
 */
export function checkTaskNames({ document, index }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const list of index.lists) {
    const first = new Map<string, TaskEntry>();
    for (const entry of list.tasks) {
      const earlier = first.get(entry.name);
      if (earlier === undefined) {
        first.set(entry.name, entry);
        continue;
      }
      const { line } = document.positionOf(earlier.path, 'key');
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'task-name-duplicate',
          message: `task name ${quotedName(entry.name)} is already used in this list (line ${line}); names must be unique so that then and error instances can refer to one task`,
          path: entry.path,
          at: 'key',
        }),
      );
    }
  }
  return problems;
}
