import type { EventMetadata, EventStore } from '../../../../contracts/index.js';
import type { ExpressionEvaluator } from '../interpreter/runtimeExpressions.js';
import { ExecutionAborted } from '../interpreter/abort.js';
import { durationMs } from '../interpreter/durations.js';
import { standardError, WorkflowError } from '../interpreter/workflowError.js';
import type { WorkflowProblem } from '../interpreter/workflowError.js';
import { WorkflowInterpreter } from '../interpreter/workflowInterpreter.js';
import type { LoadedWorkflow } from '../../ports/workflowDefinitions.js';
import { ExecutionRecorder } from './executionRecorder.js';
import { ExecutionSession } from './executionSession.js';
import type { SessionServices } from './executionSession.js';
import type { ExecutionState } from './executionState.js';

/** How one run of an execution in this process ended. */
export type RunEnd =
  | { kind: 'completed' }
  | { kind: 'faulted'; error: WorkflowProblem }
  | { kind: 'cancelled' }
  | { kind: 'parked'; wakeAt: number | null; suspended: boolean }
  /** The log changed under us (or could not be written): read it again and continue. */
  | { kind: 'replay' }
  | { kind: 'shutdown' };

export interface ActiveRun {
  session: ExecutionSession;
  recorder: ExecutionRecorder;
  controller: AbortController;
}

export interface DriverContext {
  eventStore: EventStore;
  expressions: ExpressionEvaluator;
  services: Omit<SessionServices, 'onStoreFailure'>;
  runtime: { name: string; version: string };
  metadataFor(state: ExecutionState): EventMetadata;
  onActive(executionId: string, run: ActiveRun | undefined): void;
}

/**
 * Runs an execution from its folded state until it ends, parks or must be replayed. The
 * interpreter replays what the log holds and continues from there.
 */
export async function runExecutionOnce(
  context: DriverContext,
  state: ExecutionState,
  workflow: LoadedWorkflow,
  secrets: Record<string, unknown>,
): Promise<RunEnd> {
  const controller = new AbortController();
  const recorder = new ExecutionRecorder(
    context.eventStore,
    `execution-${state.executionId}`,
    context.metadataFor(state),
    state.version,
    secretValues(secrets),
    context.services.faults,
  );
  const session = new ExecutionSession(
    state,
    recorder,
    {
      ...context.services,
      onStoreFailure: () => {
        session.close();
        const aborted = new ExecutionAborted('replaced');
        controller.abort(aborted);
        return aborted;
      },
    },
    secrets,
  );
  const interpreter = new WorkflowInterpreter(workflow.definition, context.expressions, session, {
    executionId: state.executionId,
    input: JSON.parse(state.inputJson) as unknown,
    startedAt: Date.parse(state.startedAt),
    runtime: { ...context.runtime, metadata: { accountId: state.accountId } },
  });
  context.onActive(state.executionId, { session, recorder, controller });
  try {
    const running = interpreter.run(controller.signal).then(
      (output) => ({ output }),
      (error: unknown) => ({ error }),
    );
    const timeout = workflowTimeout(session, state, controller.signal);
    const first = await Promise.race([
      running,
      session.parked.then((wakeAt) => ({ parkedAt: wakeAt })),
      timeout,
    ]);
    if ('parkedAt' in first) {
      controller.abort(new ExecutionAborted('parked'));
      await running;
      await recorder.flush();
      return { kind: 'parked', wakeAt: first.parkedAt, suspended: session.suspended };
    }
    if ('timedOut' in first) {
      controller.abort(new ExecutionAborted('replaced'));
      await running;
      return await finish(recorder, state, { error: first.timedOut });
    }
    if (
      'error' in first &&
      (first.error instanceof ExecutionAborted || controller.signal.aborted)
    ) {
      const reason =
        controller.signal.reason instanceof ExecutionAborted
          ? controller.signal.reason.reason
          : 'replaced';
      if (reason === 'cancelled') {
        state.status = 'cancelled';
        return { kind: 'cancelled' };
      }
      if (reason === 'shutdown') {
        await recorder.flush().catch(() => undefined);
        return { kind: 'shutdown' };
      }
      return { kind: 'replay' };
    }
    return await finish(recorder, state, first);
  } catch {
    // A write that failed at the very end: the log decides on the next read.
    return { kind: 'replay' };
  } finally {
    session.close();
    controller.abort(new ExecutionAborted('shutdown'));
    context.onActive(state.executionId, undefined);
  }
}

/** Ends an execution that cannot run at all (its workflow version is gone) with a fault. */
export async function failWithoutRunning(
  context: DriverContext,
  state: ExecutionState,
  error: WorkflowError,
): Promise<RunEnd> {
  const recorder = new ExecutionRecorder(
    context.eventStore,
    `execution-${state.executionId}`,
    context.metadataFor(state),
    state.version,
    [],
    context.services.faults,
  );
  try {
    return await finish(recorder, state, { error });
  } catch {
    return { kind: 'replay' };
  }
}

async function finish(
  recorder: ExecutionRecorder,
  state: ExecutionState,
  result: { output: unknown } | { error: unknown },
): Promise<RunEnd> {
  if ('output' in result) {
    const outputJson = recorder.redact(JSON.stringify(result.output ?? null));
    recorder.record({
      type: 'WorkflowCompleted',
      data: { workflowId: state.workflowId, executionId: state.executionId, outputJson },
    });
    await recorder.flush();
    state.status = 'completed';
    state.outputJson = outputJson;
    return { kind: 'completed' };
  }
  const error =
    result.error instanceof WorkflowError
      ? result.error
      : standardError(
          'runtime',
          'Runtime error',
          (result.error as Error)?.message ?? String(result.error),
        );
  const problem = JSON.parse(recorder.redact(JSON.stringify(error.problem))) as WorkflowProblem;
  recorder.record({
    type: 'WorkflowFailed',
    data: {
      workflowId: state.workflowId,
      executionId: state.executionId,
      errorType: problem.type,
      errorTitle: problem.title ?? problem.type,
      errorStatus: problem.status,
      errorDetail: problem.detail ?? null,
      taskPath: problem.instance ?? null,
    },
  });
  await recorder.flush();
  state.status = 'faulted';
  state.error = problem;
  return { kind: 'faulted', error: problem };
}

/** The workflow's own `timeout`: a durable timer racing the whole run. */
async function workflowTimeout(
  session: ExecutionSession,
  state: ExecutionState,
  signal: AbortSignal,
): Promise<{ timedOut: WorkflowError }> {
  if (state.deadlineAt === undefined) return new Promise(() => undefined);
  try {
    await session.sleep(
      { key: '@workflow-timeout', dueAt: state.deadlineAt, purpose: 'timeout' },
      signal,
    );
  } catch {
    return new Promise(() => undefined);
  }
  return {
    timedOut: standardError(
      'timeout',
      'Workflow timed out',
      'the workflow did not complete within its timeout',
      {
        instance: '/timeout',
      },
    ),
  };
}

/** The workflow-level deadline, from `timeout` (inline or named), for the start event. */
export function workflowDeadline(workflow: LoadedWorkflow, startedAt: number): number | undefined {
  const timeout = workflow.definition.timeout as string | { after?: unknown } | undefined;
  if (timeout === undefined) return undefined;
  const resolved =
    typeof timeout === 'string'
      ? (workflow.definition.use?.timeouts?.[timeout] as { after?: unknown } | undefined)
      : timeout;
  if (!resolved?.after) return undefined;
  return startedAt + durationMs(resolved.after, '/timeout');
}

/** Every string inside the secrets: what the recorder redacts. */
export function secretValues(secrets: unknown): string[] {
  if (typeof secrets === 'string') return [secrets];
  if (typeof secrets !== 'object' || secrets === null) return [];
  return Object.values(secrets).flatMap((value) => secretValues(value));
}
