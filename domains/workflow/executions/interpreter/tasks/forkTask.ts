import type { ForkTask, Task } from '../../../../../dsl/model/workflowModel.js';
import { ExecutionAborted } from '../abort.js';
import { nestedScope, taskPosition } from '../taskScope.js';
import type { TaskOutcome } from '../executionHost.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';

/**
 * `fork`: every branch runs concurrently on the task's input. Without `compete` the output is
 * the branches' outputs in declaration order and the first fault cancels the rest; with it the
 * first branch to complete wins and the others are cancelled.
 */
export async function runFork(run: TaskRun): Promise<TaskResult> {
  const task = run.task as ForkTask;
  const branches = task.fork.branches;
  const limit = run.interpreter.host.limits.maxForkBranches;
  if (branches.length > limit) {
    throw standardError(
      'runtime',
      'Fork limit exceeded',
      `'fork' has ${branches.length} branches; the limit is ${limit} (AWP_ENGINE_MAX_FORK_BRANCHES)`,
      { instance: run.position.reference },
    );
  }
  const scope = nestedScope(run.scope, run.position, { segment: 'fork/branches' });
  const stop = new AbortController();
  const signal = AbortSignal.any([run.signal, stop.signal]);
  const started = branches.map((item, index) => {
    const [name, branch] = Object.entries(item)[0] as [string, Task];
    return run.interpreter.runTask(
      name,
      branch,
      run.input,
      taskPosition(scope, index, name, 0),
      scope,
      signal,
    );
  });
  try {
    if (task.fork.compete) {
      const winner = await firstToComplete(started);
      return { output: winner.output };
    }
    const outcomes = await Promise.all(started);
    return { output: outcomes.map((outcome) => outcome.output) };
  } finally {
    stop.abort(new ExecutionAborted('replaced'));
    for (const branch of started) branch.catch(() => undefined);
  }
}

/** The first branch to complete; if every branch faults, the first fault. */
function firstToComplete(branches: Promise<TaskOutcome>[]): Promise<TaskOutcome> {
  return new Promise((resolve, reject) => {
    let failed = 0;
    let firstError: unknown;
    for (const branch of branches) {
      branch.then(resolve, (error: unknown) => {
        failed += 1;
        firstError ??= error;
        if (failed === branches.length)
          reject(firstError instanceof Error ? firstError : new Error(String(firstError)));
      });
    }
  });
}
