import type { EventEnvelope, ExecutionEvent } from '../../../contracts/index.js';
import type { WorkflowProblem } from '../executions/interpreter/workflowError.js';
import type { ExecutionStatus } from '../executions/runtime/executionState.js';

/** One task invocation in an execution's history. */
export interface TaskHistoryEntry {
  /** Unique per invocation (`/do/1/loop[2]/do/0/call`). */
  key: string;
  /** The task's place in the document (`/do/1/loop/do/0/call`). */
  reference: string;
  name: string;
  kind: string;
  /** `cancelled`: still running when the execution was cancelled. */
  status: 'running' | 'completed' | 'faulted' | 'cancelled';
  attempt: number;
  startedAt: string | null;
  endedAt: string | null;
  output?: unknown;
  error?: WorkflowProblem;
}

export interface ExecutionView {
  executionId: string;
  workflowId: string;
  workflowName: string;
  workflowVersion: string;
  status: ExecutionStatus;
  startedAt: string;
  endedAt: string | null;
  input: unknown;
  output?: unknown;
  error?: WorkflowProblem;
  tasks: TaskHistoryEntry[];
  /** How many task entries exist; `tasks` holds at most the requested number. */
  taskCount: number;
}

/** Pure: the API's view of an execution from its events. */
export function executionViewOf(
  executionId: string,
  events: readonly EventEnvelope[],
  maxTasks = 1_000,
): ExecutionView {
  const view: ExecutionView = {
    executionId,
    workflowId: '',
    workflowName: '',
    workflowVersion: '',
    status: 'running',
    startedAt: '',
    endedAt: null,
    input: null,
    tasks: [],
    taskCount: 0,
  };
  const tasks = new Map<string, TaskHistoryEntry>();
  const entry = (data: {
    taskKey: string;
    taskPath: string;
    taskName: string;
    taskKind: string;
    attempt: number;
  }) => {
    let found = tasks.get(data.taskKey);
    if (!found) {
      found = {
        key: data.taskKey,
        reference: data.taskPath,
        name: data.taskName,
        kind: data.taskKind,
        status: 'running',
        attempt: data.attempt,
        startedAt: null,
        endedAt: null,
      };
      tasks.set(data.taskKey, found);
    }
    return found;
  };
  for (const envelope of events) {
    const event = envelope as unknown as ExecutionEvent;
    switch (event.type) {
      case 'WorkflowExecutionStarted':
        view.workflowId = event.data.workflowId;
        view.workflowName = event.data.name;
        view.workflowVersion = event.data.workflowVersion;
        view.startedAt = envelope.occurredAt;
        view.input = JSON.parse(event.data.inputJson) as unknown;
        break;
      case 'TaskStarted':
        entry(event.data).startedAt = envelope.occurredAt;
        break;
      case 'TaskCompleted': {
        const task = entry(event.data);
        task.status = 'completed';
        task.startedAt ??= event.data.startedAt;
        task.endedAt = envelope.occurredAt;
        task.output =
          event.data.outputJson === null ? null : (JSON.parse(event.data.outputJson) as unknown);
        break;
      }
      case 'TaskFaulted': {
        const task = entry(event.data);
        task.status = 'faulted';
        task.endedAt = envelope.occurredAt;
        task.error = JSON.parse(event.data.errorJson) as WorkflowProblem;
        break;
      }
      case 'TimerScheduled':
        if (view.status === 'running') view.status = 'waiting';
        break;
      case 'TimerFired':
      case 'EventConsumed':
        if (view.status === 'waiting') view.status = 'running';
        break;
      case 'ExecutionResumed':
        if (view.status === 'suspended') view.status = 'running';
        break;
      case 'EventAwaited':
        if (view.status === 'running') view.status = 'waiting';
        break;
      case 'ExecutionSuspended':
        if (view.status !== 'completed' && view.status !== 'faulted' && view.status !== 'cancelled')
          view.status = 'suspended';
        break;
      case 'WorkflowCompleted':
        view.status = 'completed';
        view.endedAt = envelope.occurredAt;
        view.output =
          event.data.outputJson === null ? null : (JSON.parse(event.data.outputJson) as unknown);
        break;
      case 'WorkflowFailed':
        view.status = 'faulted';
        view.endedAt = envelope.occurredAt;
        view.error = {
          type: event.data.errorType,
          status: event.data.errorStatus ?? 500,
          title: event.data.errorTitle,
          ...(event.data.errorDetail === null ? {} : { detail: event.data.errorDetail }),
          ...(event.data.taskPath === null ? {} : { instance: event.data.taskPath }),
        };
        break;
      case 'ExecutionCancelled':
        view.status = 'cancelled';
        view.endedAt = envelope.occurredAt;
        for (const task of tasks.values()) {
          if (task.status !== 'running') continue;
          task.status = 'cancelled';
          task.endedAt = envelope.occurredAt;
        }
        break;
      default:
        break;
    }
  }
  view.taskCount = tasks.size;
  view.tasks = [...tasks.values()].slice(0, maxTasks);
  return view;
}
