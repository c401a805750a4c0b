import type { ForTask } from '../../../../../dsl/model/workflowModel.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';

/**
 * `for`: runs `do` once per item, each iteration's output feeding the next (the first gets the
 * task's input). `$item`/`$index` (or the names in `each`/`at`) are visible inside; `while` is
 * checked before every iteration against the data so far.
 */
export async function runFor(run: TaskRun): Promise<TaskResult> {
  const task = run.task as ForTask;
  const at = run.position.reference;
  const { expressions, host } = run.interpreter;
  const collection = expressions.evaluate(task.for.in, run.input, run.variables(), `${at}/for/in`);
  const items = itemsOf(collection, `${at}/for/in`);
  if (items.length > host.limits.maxForIterations) {
    throw standardError(
      'runtime',
      'Iteration limit exceeded',
      `'for' would run ${items.length} iterations; the limit is ${host.limits.maxForIterations} (AWP_ENGINE_MAX_FOR_ITERATIONS)`,
      { instance: at },
    );
  }
  const each = task.for.each ?? 'item';
  const indexName = task.for.at ?? 'index';
  let output = run.input;
  for (const [index, item] of items.entries()) {
    const variables = { [each]: item, [indexName]: index };
    if (
      task.while !== undefined &&
      !expressions.test(task.while, output, run.variables(variables), `${at}/while`)
    ) {
      break;
    }
    const result = await run.interpreter.runNested(
      task.do,
      output,
      run.scope,
      run.position,
      { segment: 'do', iteration: index, variables },
      run.signal,
    );
    output = result.output;
    if (result.ended) return { output, flow: 'end' };
  }
  return { output };
}

function itemsOf(collection: unknown, at: string): unknown[] {
  if (collection === null || collection === undefined) return [];
  if (Array.isArray(collection)) return collection;
  if (typeof collection === 'object') return Object.values(collection);
  throw standardError(
    'expression',
    'Not a collection',
    `'for.in' gave ${typeof collection}, not an array`,
    {
      instance: at,
    },
  );
}
