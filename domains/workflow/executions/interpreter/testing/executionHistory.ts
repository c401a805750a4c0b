import type { EventEnvelope, ExecutionEvent } from '../../../../../contracts/index.js';

type ExecutionEventType = ExecutionEvent['type'];
type DataOf<Type extends ExecutionEventType> = Extract<ExecutionEvent, { type: Type }>['data'];

/** Every execution-stream event of these tests happens in this workflow. */
export const workflowId = 'wf-order-intake';

/**
 * The events of one execution stream as the store returns them: each in the full envelope,
 * with stream versions counting from 1 and `occurredAt` one second after the previous event.
 */
export function executionHistory(executionId = 'ex-1', firstAt = '2025-03-01T10:00:00.000Z') {
  const events: EventEnvelope[] = [];
  const start = Date.parse(firstAt);
  const history = {
    events,
    executionId,
    /** When the next event will have occurred. */
    nextAt: () => new Date(start + events.length * 1_000).toISOString(),
    add<Type extends ExecutionEventType>(type: Type, data: DataOf<Type>) {
      events.push({
        eventId: `evt-${events.length + 1}`,
        type,
        accountId: 'acc-1',
        streamId: `execution-${executionId}`,
        streamVersion: events.length + 1,
        occurredAt: history.nextAt(),
        correlationId: `corr-${executionId}`,
        causationId: null,
        actor: { type: 'system', id: 'engine' },
        schemaVersion: 1,
        data,
      });
      return history;
    },
    started(input: unknown = {}) {
      return history.add('WorkflowExecutionStarted', {
        workflowId,
        executionId,
        trigger: 'api',
        namespace: 'sales',
        name: 'order-intake',
        workflowVersion: '1.0.0',
        inputJson: JSON.stringify(input),
        parentExecutionId: null,
        parentTaskKey: null,
        deadlineAt: null,
      });
    },
  };
  return history;
}

/** Where a task ran, as the task events name it. */
export interface TaskAt {
  taskKey: string;
  taskPath: string;
  taskName: string;
  taskKind: string;
  attempt?: number;
}

export const taskStartedData = (executionId: string, task: TaskAt): DataOf<'TaskStarted'> => ({
  workflowId,
  executionId,
  taskKey: task.taskKey,
  taskPath: task.taskPath,
  taskName: task.taskName,
  taskKind: task.taskKind,
  attempt: task.attempt ?? 0,
  idempotencyKey: null,
  deadlineAt: null,
});

export const taskCompletedData = (
  executionId: string,
  task: TaskAt,
  outcome: { output: unknown; flowDirective?: string | null; context?: unknown },
): DataOf<'TaskCompleted'> => ({
  workflowId,
  executionId,
  taskPath: task.taskPath,
  attempt: task.attempt ?? 0,
  outputJson: outcome.output === undefined ? null : JSON.stringify(outcome.output),
  taskKey: task.taskKey,
  taskName: task.taskName,
  taskKind: task.taskKind,
  flowDirective: outcome.flowDirective ?? null,
  startedAt: null,
  contextJson: outcome.context === undefined ? null : JSON.stringify(outcome.context),
});

export const taskFaultedData = (
  executionId: string,
  task: TaskAt,
  problem: object,
): DataOf<'TaskFaulted'> => ({
  workflowId,
  executionId,
  taskKey: task.taskKey,
  taskPath: task.taskPath,
  taskName: task.taskName,
  taskKind: task.taskKind,
  attempt: task.attempt ?? 0,
  errorJson: JSON.stringify(problem),
});
