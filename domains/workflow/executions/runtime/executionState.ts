import type { EventEnvelope, ExecutionEvent } from '../../../../contracts/index.js';
import type { CloudEvent, ExecutionJournal, TaskOutcome } from '../interpreter/executionHost.js';
import type { WorkflowProblem } from '../interpreter/workflowError.js';

export type ExecutionStatus =
  'running' | 'waiting' | 'suspended' | 'cancelled' | 'faulted' | 'completed';

interface CompletedRecord {
  outputJson: string | null;
  flow: string;
  contextJson: string | null;
}

/**
 * An execution as its stream says it is: a pure fold of `execution-<id>`. The interpreter reads
 * it through `ExecutionJournal`; recorded outputs stay JSON text until a replay asks for them.
 */
export interface ExecutionState {
  executionId: string;
  accountId: string;
  workflowId: string;
  workflowVersion: string;
  namespace: string;
  name: string;
  inputJson: string;
  startedAt: string;
  parentExecutionId: string | null;
  parentTaskKey: string | null;
  deadlineAt: number | undefined;
  status: ExecutionStatus;
  /** Stream version of the last event folded in. */
  version: number;
  completed: Map<string, CompletedRecord>;
  faulted: Map<string, WorkflowProblem>;
  started: Map<string, { deadlineAt?: number }>;
  timers: Map<string, { dueAt: number; fired: boolean }>;
  /** Listen tasks waiting now: task key → the subscription's filters as JSON. */
  awaiting: Map<string, string>;
  consumed: Map<string, CloudEvent[]>;
  emitted: Set<string>;
  outputJson: string | null;
  error: WorkflowProblem | undefined;
}

export function initialExecutionState(executionId: string): ExecutionState {
  return {
    executionId,
    accountId: '',
    workflowId: '',
    workflowVersion: '',
    namespace: '',
    name: '',
    inputJson: 'null',
    startedAt: '',
    parentExecutionId: null,
    parentTaskKey: null,
    deadlineAt: undefined,
    status: 'running',
    version: 0,
    completed: new Map(),
    faulted: new Map(),
    started: new Map(),
    timers: new Map(),
    awaiting: new Map(),
    consumed: new Map(),
    emitted: new Set(),
    outputJson: null,
    error: undefined,
  };
}

const terminal = new Set<ExecutionStatus>(['cancelled', 'faulted', 'completed']);

export function isTerminal(status: ExecutionStatus): boolean {
  return terminal.has(status);
}

/** Folds one event into the state (mutating it: folds run over thousands of events). */
export function evolveExecution(state: ExecutionState, envelope: EventEnvelope): ExecutionState {
  const event = envelope as unknown as ExecutionEvent & EventEnvelope;
  state.version = envelope.streamVersion;
  switch (event.type) {
    case 'WorkflowExecutionStarted': {
      const data = event.data;
      state.accountId = envelope.accountId;
      state.workflowId = data.workflowId;
      state.workflowVersion = data.workflowVersion;
      state.namespace = data.namespace;
      state.name = data.name;
      state.inputJson = data.inputJson;
      state.startedAt = envelope.occurredAt;
      state.parentExecutionId = data.parentExecutionId;
      state.parentTaskKey = data.parentTaskKey;
      state.deadlineAt = data.deadlineAt ? Date.parse(data.deadlineAt) : undefined;
      state.status = 'running';
      break;
    }
    case 'TaskStarted':
      state.started.set(event.data.taskKey, {
        ...(event.data.deadlineAt ? { deadlineAt: Date.parse(event.data.deadlineAt) } : {}),
      });
      break;
    case 'TaskCompleted':
      state.completed.set(event.data.taskKey, {
        outputJson: event.data.outputJson,
        flow: event.data.flowDirective ?? 'continue',
        contextJson: event.data.contextJson,
      });
      state.awaiting.delete(event.data.taskKey);
      break;
    case 'TaskFaulted':
      state.faulted.set(event.data.taskKey, JSON.parse(event.data.errorJson) as WorkflowProblem);
      state.awaiting.delete(event.data.taskKey);
      break;
    case 'TimerScheduled':
      state.timers.set(event.data.timerKey, { dueAt: Date.parse(event.data.dueAt), fired: false });
      if (state.status === 'running') state.status = 'waiting';
      break;
    case 'TimerFired': {
      const timer = state.timers.get(event.data.timerKey);
      if (timer) timer.fired = true;
      if (state.status === 'waiting') state.status = 'running';
      break;
    }
    case 'EventAwaited':
      state.awaiting.set(event.data.taskKey, event.data.filterJson);
      if (state.status === 'running') state.status = 'waiting';
      break;
    case 'EventConsumed': {
      if (state.status === 'waiting') state.status = 'running';
      const list = state.consumed.get(event.data.taskKey) ?? [];
      list.push(JSON.parse(event.data.cloudEventJson) as CloudEvent);
      state.consumed.set(event.data.taskKey, list);
      break;
    }
    case 'CloudEventEmitted':
      state.emitted.add(event.data.taskKey);
      break;
    case 'WorkflowCompleted':
      state.status = 'completed';
      state.outputJson = event.data.outputJson;
      state.awaiting.clear();
      break;
    case 'WorkflowFailed':
      state.status = 'faulted';
      state.error = {
        type: event.data.errorType,
        status: event.data.errorStatus ?? 500,
        title: event.data.errorTitle,
        ...(event.data.errorDetail === null ? {} : { detail: event.data.errorDetail }),
        ...(event.data.taskPath === null ? {} : { instance: event.data.taskPath }),
      };
      state.awaiting.clear();
      break;
    case 'ExecutionCancelled':
      state.status = 'cancelled';
      state.awaiting.clear();
      break;
    case 'ExecutionSuspended':
      if (!isTerminal(state.status)) state.status = 'suspended';
      break;
    case 'ExecutionResumed':
      if (state.status === 'suspended') state.status = 'running';
      break;
    default:
      break;
  }
  return state;
}

export function foldExecution(
  executionId: string,
  events: readonly EventEnvelope[],
): ExecutionState {
  const state = initialExecutionState(executionId);
  for (const event of events) evolveExecution(state, event);
  return state;
}

/** The journal the interpreter replays against. */
export function journalOf(state: ExecutionState): ExecutionJournal {
  return {
    completed(key) {
      const record = state.completed.get(key);
      if (!record) return undefined;
      const outcome: TaskOutcome & { context?: unknown } = {
        output: record.outputJson === null ? null : (JSON.parse(record.outputJson) as unknown),
        flow: record.flow,
      };
      if (record.contextJson !== null) outcome.context = JSON.parse(record.contextJson) as unknown;
      return outcome;
    },
    faulted: (key) => state.faulted.get(key),
    started: (key) => state.started.get(key),
    timerDueAt: (key) => state.timers.get(key)?.dueAt,
  };
}
