import type { TryTask } from '../../../../../dsl/model/workflowModel.js';
import type { ExpressionVariables } from '../runtimeExpressions.js';
import { mayRetry, retryDelayMs } from '../retryPolicy.js';
import type { RetryPolicy } from '../retryPolicy.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { WorkflowError } from '../workflowError.js';
import type { WorkflowProblem } from '../workflowError.js';

/**
 * `try`: runs its tasks; an error the `catch` accepts is retried by the retry policy (each
 * attempt a fresh run of the tasks, separated by a durable timer) and, once retries are over,
 * handled by `catch.do`. Errors the catch does not accept propagate unchanged.
 */
export async function runTry(run: TaskRun): Promise<TaskResult> {
  const task = run.task as TryTask;
  const at = run.position.reference;
  const { host } = run.interpreter;
  const firstStartedAt = run.invocation.startedAt;
  for (let attempt = 0; ; attempt += 1) {
    const attemptStartedAt = host.now();
    try {
      const result = await run.interpreter.runNested(
        task.try,
        run.input,
        run.scope,
        run.position,
        { segment: 'try', attempt },
        run.signal,
      );
      return { output: result.output, flow: result.ended ? 'end' : undefined };
    } catch (error) {
      if (!(error instanceof WorkflowError) || run.signal.aborted) throw error;
      const variables = { [task.catch.as ?? 'error']: error.problem };
      if (!catches(run, variables, error.problem)) throw error;

      const retry = attempt + 1;
      const timerKey = `${run.invocation.key}~${retry}@retry`;
      const decided = host.journal.timerDueAt(timerKey);
      const policy = retryPolicyOf(run);
      if (
        decided !== undefined ||
        (policy && retries(run, policy, variables, retry, firstStartedAt, attemptStartedAt))
      ) {
        const dueAt =
          decided ??
          host.now() +
            retryDelayMs(policy as RetryPolicy, retry, host.random(), `${at}/catch/retry`);
        await host.sleep(
          { key: timerKey, dueAt, purpose: 'retry', details: { retry, error: error.problem } },
          run.signal,
        );
        continue;
      }
      // A retry policy that has run out hands the error on unless `catch.do` handles it; a catch
      // without a policy and without `do` swallows the errors it accepts.
      if (!task.catch.do) {
        if (policy) throw error;
        return { output: run.input };
      }
      const handled = await run.interpreter.runNested(
        task.catch.do,
        run.input,
        run.scope,
        run.position,
        { segment: 'catch/do', variables },
        run.signal,
      );
      return { output: handled.output, flow: handled.ended ? 'end' : undefined };
    }
  }
}

function catches(run: TaskRun, variables: ExpressionVariables, problem: WorkflowProblem): boolean {
  const task = run.task as TryTask;
  const at = `${run.position.reference}/catch`;
  const filter = task.catch.errors?.with;
  if (filter && !matchesErrorFilter(filter, problem)) return false;
  const { expressions } = run.interpreter;
  if (
    task.catch.when !== undefined &&
    !expressions.test(task.catch.when, run.input, run.variables(variables), `${at}/when`)
  ) {
    return false;
  }
  if (
    task.catch.exceptWhen !== undefined &&
    expressions.test(task.catch.exceptWhen, run.input, run.variables(variables), `${at}/exceptWhen`)
  ) {
    return false;
  }
  return true;
}

function retryPolicyOf(run: TaskRun): RetryPolicy | undefined {
  const retry = (run.task as TryTask).catch.retry;
  if (retry === undefined) return undefined;
  return run.interpreter.resolveUse<RetryPolicy>(
    retry as string | RetryPolicy,
    'retries',
    `${run.position.reference}/catch/retry`,
  );
}

function retries(
  run: TaskRun,
  policy: RetryPolicy,
  variables: ExpressionVariables,
  retry: number,
  firstStartedAt: number,
  attemptStartedAt: number,
): boolean {
  const at = `${run.position.reference}/catch/retry`;
  const { expressions, host } = run.interpreter;
  if (
    policy.when !== undefined &&
    !expressions.test(policy.when, run.input, run.variables(variables), `${at}/when`)
  ) {
    return false;
  }
  if (
    policy.exceptWhen !== undefined &&
    expressions.test(policy.exceptWhen, run.input, run.variables(variables), `${at}/exceptWhen`)
  ) {
    return false;
  }
  const now = host.now();
  return mayRetry(policy, retry, now - firstStartedAt, now - attemptStartedAt, at);
}

/**
 * Error types written as `https://serverlessworkflow.io/dsl/errors/types/<kind>` (the form the
 * conformance kit uses) name the same standard types as `…/spec/1.0.0/errors/<kind>`.
 */
export function normalizeErrorType(type: string): string {
  const legacy = /^https:\/\/serverlessworkflow\.io\/dsl\/errors\/types\/([a-z]+)$/.exec(type);
  return legacy ? `https://serverlessworkflow.io/spec/1.0.0/errors/${legacy[1]}` : type;
}

/** Every property the filter names must equal the error's. */
export function matchesErrorFilter(
  filter: Record<string, unknown>,
  problem: WorkflowProblem,
): boolean {
  for (const [property, expected] of Object.entries(filter)) {
    const actual = (problem as unknown as Record<string, unknown>)[property];
    if (property === 'type') {
      if (
        typeof actual !== 'string' ||
        normalizeErrorType(String(expected)) !== normalizeErrorType(actual)
      )
        return false;
    } else if (property === 'status') {
      if (Number(expected) !== actual) return false;
    } else if (expected !== actual) {
      return false;
    }
  }
  return true;
}
