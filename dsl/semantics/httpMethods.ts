import { createNameHints } from '../model/nameHints.js';
import type { NameHints } from '../model/nameHints.js';
import type { DslProblem } from '../problems.js';
import { didYouMean, quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import { isRuntimeExpression } from './runtimeExpression.js';
import type { SemanticInput } from './semanticInput.js';
import { describeTask, fieldsOf } from './taskIndex.js';
import { objectOrEmpty } from './valueShapes.js';

/** The methods of RFC 9110 and PATCH (RFC 5789); the official schema accepts any string. */
export const httpMethods = [
  'get',
  'head',
  'post',
  'put',
  'delete',
  'connect',
  'options',
  'trace',
  'patch',
] as const;

/**
 * `call: http` with a method no server understands is a typo the author wants to hear about now,
 * not as a 405 at run time. Methods are case-insensitive; a runtime expression is left to run time.
 */
export function checkHttpMethods({ document, index, hintBudget }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  let hints: NameHints | undefined;
  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    if (entry.kind !== 'call' || task.call !== 'http') continue;
    const method = objectOrEmpty(task.with).method;
    // Read as unknown: the expression guard narrows its argument, not a plain string.
    if (typeof method !== 'string' || isRuntimeExpression(method as unknown)) continue;
    if ((httpMethods as readonly string[]).includes(method.toLowerCase())) continue;
    hints ??= createNameHints(httpMethods, hintBudget);
    problems.push(
      problemAt(document, {
        severity: 'error',
        code: 'http-method-invalid',
        message: `${describeTask(entry, index)}: ${quotedName(method)} is not an HTTP method${didYouMean(method.toLowerCase(), hints)}; use one of ${httpMethods.join(', ')}`,
        path: [...entry.path, 'with', 'method'],
      }),
    );
  }
  return problems;
}
