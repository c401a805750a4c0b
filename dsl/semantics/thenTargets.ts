import { createNameHints } from '../model/nameHints.js';
import type { NameHints } from '../model/nameHints.js';
import { flowKeywords } from '../model/workflowModel.js';
import type { JsonPath } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { switchCasesOf } from './flowGraph.js';
import { didYouMean, quotedList, quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';

const keywords: readonly string[] = flowKeywords;

/**
 * Every `then` (of a task or a switch case) is `continue`, `exit`, `end` or the name of a task in
 * the same list: the spec lets flow directives redirect only within their own scope. A
 * `use.functions` entry is not in a list, so its `then` has nothing to name and is left alone.
 */
export function checkThenTargets({ document, index, hintBudget }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  const elsewhere = new Set(index.tasks.map((entry) => entry.name));
  for (const list of index.lists) {
    if (list.role === 'function') continue;
    const names = list.tasks.map((entry) => entry.name);
    const here = new Set(names);
    // Made at the list's first problem, then shared by the rest: a list of thousands of tasks
    // with a broken then each must not search or quote its names once per problem.
    let hints: NameHints | undefined;
    let tasksHere: string | undefined;
    const check = (directive: unknown, path: JsonPath) => {
      if (typeof directive !== 'string' || keywords.includes(directive) || here.has(directive)) {
        return;
      }
      hints ??= createNameHints(names, hintBudget);
      tasksHere ??= quotedList(names);
      const target = quotedName(directive);
      const scope = elsewhere.has(directive)
        ? `; ${target} is a task in another list, and then can only target tasks of its own list`
        : '';
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'then-target-missing',
          message: `then: ${target} is not continue, exit, end or a task of this list${didYouMean(directive, hints)}${scope} (tasks here: ${tasksHere})`,
          path,
        }),
      );
    };
    for (const entry of list.tasks) {
      check(fieldsOf(entry).then, [...entry.path, 'then']);
      if (entry.kind === 'switch') {
        for (const c of switchCasesOf(entry)) check(c.then, [...c.path, 'then']);
      }
    }
  }
  return problems;
}
