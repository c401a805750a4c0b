import { flowKeywords } from '../model/workflowModel.js';
import type { JsonPath } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { switchCasesOf } from './flowGraph.js';
import { didYouMean, quotedList } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';

const keywords: readonly string[] = flowKeywords;

/**
 * Every `then` (of a task or a switch case) is `continue`, `exit`, `end` or the name of a task in
 * the same list: the spec lets flow directives redirect only within their own scope. A
 * `use.functions` entry is not in a list, so its `then` has nothing to name and is left alone.
 */
export function checkThenTargets({ document, index }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  const elsewhere = new Set(index.tasks.map((entry) => entry.name));
  for (const list of index.lists) {
    if (list.role === 'function') continue;
    const names = list.tasks.map((entry) => entry.name);
    const here = new Set(names);
    const check = (directive: unknown, path: JsonPath) => {
      if (typeof directive !== 'string' || keywords.includes(directive) || here.has(directive)) {
        return;
      }
      const hint = here.size === 0 ? '' : didYouMean(directive, names);
      const scope = elsewhere.has(directive)
        ? `; '${directive}' is a task in another list, and then can only target tasks of its own list`
        : '';
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'then-target-missing',
          message: `then: '${directive}' is not continue, exit, end or a task of this list${hint}${scope} (tasks here: ${quotedList(names)})`,
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
