import type { WorkflowProblem } from './workflowError.js';

/**
 * Everything the interpreter needs from outside, and nothing else: the interpreter itself does
 * no I/O, keeps no clock and makes no ids, so that replaying an execution from its events takes
 * the same path it took the first time. `runtime/` implements this over the event store, the
 * HTTP port, timers and the event router.
 */
export interface ExecutionHost {
  readonly journal: ExecutionJournal;
  readonly limits: EngineLimits;
  now(): number;
  /** Uniform in [0, 1); used for retry jitter, whose outcome the timer event records. */
  random(): number;
  /** A stable id for something a task creates (an emitted event's id), derived from its key. */
  idFor(key: string): string;
  /** A secret the workflow declared in `use.secrets`; a 403 workflow error when it is missing. */
  secret(name: string): unknown;

  taskStarted(task: TaskInvocation): void;
  taskCompleted(task: TaskInvocation, outcome: TaskOutcome, context: unknown | undefined): void;
  taskFaulted(task: TaskInvocation, problem: WorkflowProblem): void;
  /**
   * Called between tasks: lets I/O run now and then during long synchronous stretches, holds
   * the execution while it is suspended, and throws once it has been cancelled.
   */
  checkpoint(signal: AbortSignal): Promise<void> | void;
  /** Waits until `dueAt` (epoch ms) durably: the timer survives a restart and fires once. */
  sleep(timer: TimerRequest, signal: AbortSignal): Promise<void>;
  http(call: HttpCall, signal: AbortSignal): Promise<HttpResult>;
  /** Fetches a document an OpenAPI call names (JSON or YAML), through the same guard as calls. */
  loadDocument(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<unknown>;
  emit(taskKey: string, event: CloudEvent): Promise<void>;
  /** Subscribes a `listen` task; matching events arrive in order, already recorded. */
  listen(taskKey: string, subscription: EventSubscription, signal: AbortSignal): EventFeed;
  runWorkflow(call: SubWorkflowCall, signal: AbortSignal): Promise<unknown>;
}

/** What the event log already says about task invocations and timers (a fold of the stream). */
export interface ExecutionJournal {
  completed(key: string): (TaskOutcome & { context?: unknown }) | undefined;
  faulted(key: string): WorkflowProblem | undefined;
  started(key: string): { deadlineAt?: number } | undefined;
  timerDueAt(key: string): number | undefined;
}

export interface EngineLimits {
  /** Task runs per execution before it faults as runaway (`then` loops, huge `for`). */
  maxTaskRuns: number;
  maxForIterations: number;
  maxForkBranches: number;
  /** Largest task output kept, as JSON bytes. */
  maxOutputBytes: number;
  maxSubWorkflowDepth: number;
}

export const defaultEngineLimits: EngineLimits = {
  maxTaskRuns: 100_000,
  maxForIterations: 10_000,
  maxForkBranches: 100,
  maxOutputBytes: 1024 * 1024,
  maxSubWorkflowDepth: 8,
};

/** One invocation of one task: what events and the idempotency key are derived from. */
export interface TaskInvocation {
  /** Unique within the execution for this invocation, including its retry attempt. */
  key: string;
  /** The JSON pointer of the task in the document, as `$task.reference` shows it. */
  reference: string;
  name: string;
  kind: string;
  attempt: number;
  /** Same for every attempt of one logical invocation, different for every other invocation. */
  idempotencyKey: string;
  startedAt: number;
  deadlineAt?: number;
}

export interface TaskOutcome {
  output: unknown;
  /** `continue`, `exit`, `end` or the name of the next task. */
  flow: string;
}

export interface TimerRequest {
  key: string;
  dueAt: number;
  purpose: 'wait' | 'retry' | 'timeout';
  details?: Record<string, unknown>;
}

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Whether 3xx responses are followed (the DSL's `redirect: true`). */
  followRedirects: boolean;
  idempotencyKey: string;
}

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
}

/** A CloudEvent in its JSON form (specversion 1.0). */
export type CloudEvent = Record<string, unknown> & { id: string; source: string; type: string };

export interface EventSubscription {
  /** The filters of `one`, `any` or `all` (and `until` when it is a strategy), evaluated now. */
  filters: EventFilter[];
}

export interface EventFilter {
  /** Attribute → expected value: a literal, a regular expression, or a runtime expression. */
  with: Record<string, unknown>;
  /** Correlation name → the value an event must yield from `from` (when known). */
  correlate?: Record<string, { from: string; expect?: unknown }>;
}

export interface EventFeed {
  next(): Promise<CloudEvent>;
  close(): void;
}

export interface SubWorkflowCall {
  taskKey: string;
  namespace: string;
  name: string;
  version: string;
  input: unknown;
}
