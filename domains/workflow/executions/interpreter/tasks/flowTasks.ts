import type {
  DoTask,
  RaiseTask,
  SetTask,
  SwitchTask,
  WaitTask,
} from '../../../../../dsl/model/workflowModel.js';
import { durationMs } from '../durations.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { isExpression } from '../runtimeExpressions.js';
import { WorkflowError } from '../workflowError.js';

export async function runDo(run: TaskRun): Promise<TaskResult> {
  const task = run.task as DoTask;
  const result = await run.interpreter.runNested(
    task.do,
    run.input,
    run.scope,
    run.position,
    { segment: 'do' },
    run.signal,
  );
  return { output: result.output, flow: result.ended ? 'end' : undefined };
}

/** `set`: the task's output is the evaluated value (an object, or one expression). */
export function runSet(run: TaskRun): Promise<TaskResult> {
  const task = run.task as SetTask;
  const at = `${run.position.reference}/set`;
  const value = run.interpreter.transform(task.set, run.input, run.variables(), at);
  return Promise.resolve({ output: value });
}

/** `switch`: the first case whose `when` holds decides the flow; the default case otherwise. */
export function runSwitch(run: TaskRun): Promise<TaskResult> {
  const task = run.task as SwitchTask;
  let fallback: string | undefined;
  for (const [index, item] of task.switch.entries()) {
    const [caseName, switchCase] = Object.entries(item)[0] as [
      string,
      { when?: string; then: string },
    ];
    if (switchCase.when === undefined) {
      fallback ??= switchCase.then;
      continue;
    }
    const at = `${run.position.reference}/switch/${index}/${caseName}/when`;
    if (run.interpreter.expressions.test(switchCase.when, run.input, run.variables(), at)) {
      return Promise.resolve({ output: run.input, flow: switchCase.then });
    }
  }
  return Promise.resolve({ output: run.input, flow: fallback });
}

/** `raise`: an inline error or one from `use.errors`; title and detail may be expressions. */
export function runRaise(run: TaskRun): Promise<TaskResult> {
  const task = run.task as RaiseTask;
  const at = `${run.position.reference}/raise/error`;
  const definition = run.interpreter.resolveUse<Record<string, unknown>>(
    task.raise.error,
    'errors',
    at,
  );
  const evaluated = run.interpreter.expressions.evaluateDeep(
    definition,
    run.input,
    run.variables(),
    at,
  ) as Record<string, unknown>;
  const status = Number(evaluated.status);
  throw new WorkflowError({
    type: String(evaluated.type),
    status: Number.isFinite(status) ? status : 500,
    ...(evaluated.title === undefined ? {} : { title: String(evaluated.title) }),
    ...(evaluated.detail === undefined ? {} : { detail: String(evaluated.detail) }),
    instance: typeof evaluated.instance === 'string' ? evaluated.instance : run.position.reference,
  });
}

/** `wait`: a durable timer; the output is the input. */
export async function runWait(run: TaskRun): Promise<TaskResult> {
  const task = run.task as WaitTask;
  const at = `${run.position.reference}/wait`;
  const duration = isExpression(task.wait)
    ? run.interpreter.expressions.evaluate(task.wait, run.input, run.variables(), at)
    : task.wait;
  const key = `${run.invocation.key}@wait`;
  const dueAt =
    run.interpreter.host.journal.timerDueAt(key) ??
    run.invocation.startedAt + durationMs(duration, at);
  await run.interpreter.host.sleep({ key, dueAt, purpose: 'wait' }, run.signal);
  return { output: run.input };
}
