import type { RunTask } from '../../../../../dsl/model/workflowModel.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';

/**
 * `run: workflow` starts a sub-workflow (a child execution) and, unless `await: false`, waits
 * for its output. Shell, script and container processes are refused: the validator already
 * rejects them unless an operator enabled them, and this engine cannot run them either way.
 */
export async function runRun(run: TaskRun): Promise<TaskResult> {
  const task = run.task as RunTask;
  const at = `${run.position.reference}/run`;
  const target = task.run.workflow;
  if (!target) {
    const kind =
      Object.keys(task.run).find((key) => ['container', 'script', 'shell'].includes(key)) ??
      'process';
    throw standardError(
      'configuration',
      'Unsupported process',
      `'run: ${kind}' is not supported by this engine`,
      {
        instance: at,
      },
    );
  }
  const { expressions, host } = run.interpreter;
  const input =
    target.input === undefined
      ? run.input
      : expressions.evaluateDeep(target.input, run.input, run.variables(), `${at}/workflow/input`);
  const output = host.runWorkflow(
    {
      taskKey: run.invocation.key,
      namespace: target.namespace,
      name: target.name,
      version: target.version ?? 'latest',
      input,
    },
    run.signal,
  );
  if (task.run.await === false) {
    output.catch(() => undefined);
    return { output: run.input };
  }
  return { output: await output };
}
