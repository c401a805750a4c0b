import { load as parseYaml } from 'js-yaml';
import { v5 as uuidV5 } from 'uuid';
import type { FaultInjector } from '../../ports/faultInjector.js';
import type { OutboundHttp } from '../../ports/outboundHttp.js';
import { OutboundFailure } from '../../ports/outboundHttp.js';
import { ExecutionAborted, raceWithSignal } from '../interpreter/abort.js';
import type {
  CloudEvent,
  EngineLimits,
  EventFeed,
  EventSubscription,
  ExecutionHost,
  ExecutionJournal,
  HttpCall,
  HttpResult,
  SubWorkflowCall,
  TaskInvocation,
  TaskOutcome,
  TimerRequest,
} from '../interpreter/executionHost.js';
import { standardError, WorkflowError } from '../interpreter/workflowError.js';
import type { WorkflowProblem } from '../interpreter/workflowError.js';
import type { ExecutionRecorder } from './executionRecorder.js';
import type { ExecutionState } from './executionState.js';
import { journalOf } from './executionState.js';

/** What a session needs from the engine around it. */
export interface SessionServices {
  outbound: OutboundHttp;
  faults: FaultInjector;
  /** The log could not be written (a concurrent writer, or the database): replay from it. */
  onStoreFailure(error: unknown): ExecutionAborted;
  limits: EngineLimits;
  now(): number;
  /** Waits shorter than this stay in memory; longer ones park the execution. */
  parkAfterMs: number;
  /** A CloudEvent this execution emitted (after it is recorded): routed to listeners. */
  routeEmitted(accountId: string, event: CloudEvent): void;
  subscribe(state: ExecutionState, taskKey: string, subscription: EventSubscription): Promise<void>;
  unsubscribe(executionId: string, taskKey: string): Promise<void>;
  /** Starts (or finds, after a replay) the child execution of a `run: workflow` task. */
  startChild(parent: ExecutionState, call: SubWorkflowCall): Promise<string>;
  /** The child's output once it ends; its fault as a workflow error. */
  awaitChild(executionId: string, signal: AbortSignal): Promise<unknown>;
  /** Whether the child has ended already, and how: what a replay finds first. */
  childOutcome(executionId: string): Promise<{ value: unknown } | { error: unknown } | undefined>;
}

interface PendingWait {
  dueAt: number | undefined;
  wake: () => void;
}

const idNamespace = '6f1c2a0e-4b7d-5e3a-9c1f-0a2b3c4d5e6f';
/** Tasks whose result comes from outside the interpreter. */
const effectKinds = new Set(['call', 'emit', 'listen', 'wait', 'run']);
const yieldEvery = 64;

/**
 * One execution being run in this process: the `ExecutionHost` its interpreter talks to. It
 * records events through the recorder, performs effects through the engine's ports, and keeps
 * count of what is in flight so that it knows when the execution only waits — for a timer, an
 * event, a resume — and can be parked (dropped from memory until something wakes it).
 */
export class ExecutionSession implements ExecutionHost {
  readonly journal: ExecutionJournal;
  readonly limits: EngineLimits;
  private inFlight = 0;
  private readonly waits = new Map<string, PendingWait>();
  private readonly feeds = new Map<string, { queue: CloudEvent[]; wake?: () => void }>();
  private checkScheduled = false;
  private tasksSinceYield = 0;
  suspended: boolean;
  /**
   * Whether the buffer holds what an earlier effect returned (a call's output, a fired timer,
   * a consumed event). Such a result must be in the log before the next effect goes out, or a
   * crash would send that earlier effect again after the next one already went out.
   */
  private effectResultsBuffered = false;
  /** Set once the run here stops (parked, replaced, cancelled): deliveries go through the log. */
  private closed = false;
  /** Resolves with the earliest due time (or null) once only durable waits are left. */
  readonly parked: Promise<number | null>;
  private markParked!: (wakeAt: number | null) => void;

  constructor(
    readonly state: ExecutionState,
    private readonly recorder: ExecutionRecorder,
    private readonly services: SessionServices,
    private readonly secrets: Record<string, unknown>,
  ) {
    this.journal = journalOf(state);
    this.limits = services.limits;
    this.suspended = state.status === 'suspended';
    this.parked = new Promise((resolve) => {
      this.markParked = resolve;
    });
  }

  now(): number {
    return this.services.now();
  }

  random(): number {
    return Math.random();
  }

  idFor(key: string): string {
    return uuidV5(`${this.state.executionId}:${key}`, idNamespace);
  }

  secret(name: string): unknown {
    if (!(name in this.secrets)) {
      throw standardError(
        'authorization',
        'Secret unavailable',
        `secret '${name}' does not exist or is not granted`,
      );
    }
    return this.secrets[name];
  }

  taskStarted(task: TaskInvocation): void {
    this.recorder.record({
      type: 'TaskStarted',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        taskKey: task.key,
        taskPath: task.reference,
        taskName: task.name,
        taskKind: task.kind,
        attempt: task.attempt,
        idempotencyKey: this.idempotencyKey(task.idempotencyKey),
        deadlineAt: task.deadlineAt === undefined ? null : new Date(task.deadlineAt).toISOString(),
      },
    });
  }

  taskCompleted(task: TaskInvocation, outcome: TaskOutcome, context: unknown): void {
    if (effectKinds.has(task.kind)) this.effectResultsBuffered = true;
    const outputJson = this.json(outcome.output, `output of task '${task.name}'`, task.reference);
    this.recorder.record({
      type: 'TaskCompleted',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        taskPath: task.reference,
        attempt: task.attempt,
        outputJson,
        taskKey: task.key,
        taskName: task.name,
        taskKind: task.kind,
        flowDirective: outcome.flow === 'continue' ? null : outcome.flow,
        startedAt: new Date(task.startedAt).toISOString(),
        contextJson:
          context === undefined ? null : this.json(context, 'workflow context', task.reference),
      },
    });
  }

  taskFaulted(task: TaskInvocation, problem: WorkflowProblem): void {
    if (effectKinds.has(task.kind)) this.effectResultsBuffered = true;
    this.recorder.record({
      type: 'TaskFaulted',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        taskKey: task.key,
        taskPath: task.reference,
        taskName: task.name,
        taskKind: task.kind,
        attempt: task.attempt,
        errorJson: this.recorder.redact(JSON.stringify(problem)),
      },
    });
  }

  /** The header value: opaque, stable per logical invocation, unique across executions. */
  idempotencyKey(path: string): string {
    return uuidV5(`${this.state.executionId}:${path}`, idNamespace);
  }

  async checkpoint(signal: AbortSignal): Promise<void> {
    if (signal.aborted)
      throw signal.reason instanceof Error ? signal.reason : new ExecutionAborted();
    if (this.suspended) {
      await this.flush();
      await this.durableWait('@suspended', undefined, signal);
    }
    this.tasksSinceYield += 1;
    if (this.tasksSinceYield >= yieldEvery || this.recorder.pending >= 1_000) {
      // Long stretches of pure tasks must not starve timers, sockets and other executions.
      this.tasksSinceYield = 0;
      await this.tracked(async () => {
        if (this.recorder.pending >= 1_000) await this.flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
      });
    }
  }

  async sleep(timer: TimerRequest, signal: AbortSignal): Promise<void> {
    const recorded = this.state.timers.get(timer.key);
    if (recorded?.fired) return;
    const dueAt = recorded?.dueAt ?? timer.dueAt;
    if (!recorded) {
      this.recorder.record({
        type: 'TimerScheduled',
        data: {
          workflowId: this.state.workflowId,
          executionId: this.state.executionId,
          timerKey: timer.key,
          purpose: timer.purpose,
          dueAt: new Date(dueAt).toISOString(),
          detailsJson: timer.details ? this.recorder.redact(JSON.stringify(timer.details)) : null,
        },
      });
      this.state.timers.set(timer.key, { dueAt, fired: false });
      await this.tracked(() => this.flush());
      this.services.faults.reached('after-timer-scheduled');
    }
    if (dueAt > this.now()) await this.durableWait(timer.key, dueAt, signal);
    this.effectResultsBuffered = true;
    this.recorder.record({
      type: 'TimerFired',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        timerKey: timer.key,
      },
    });
    const fired = this.state.timers.get(timer.key);
    if (fired) fired.fired = true;
  }

  async http(call: HttpCall, signal: AbortSignal): Promise<HttpResult> {
    return this.tracked(async () => {
      // Not needed before the first call of a run: repeating that call after a crash is what
      // its Idempotency-Key is for, and it saves the write on the hot path.
      if (this.effectResultsBuffered) await this.flush();
      const headers = { ...call.headers };
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key')) {
        headers['Idempotency-Key'] = this.idempotencyKey(call.idempotencyKey);
      }
      this.services.faults.reached('before-call');
      try {
        const response = await this.services.outbound.send(
          {
            method: call.method,
            url: call.url,
            headers,
            ...(call.body === undefined ? {} : { body: call.body }),
            maxRedirects: call.followRedirects ? 5 : 0,
          },
          { accountId: this.state.accountId, signal },
        );
        this.services.faults.reached('after-call');
        return response;
      } catch (error) {
        throw outboundError(error, call, signal);
      }
    });
  }

  async loadDocument(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const response = await this.http(
      {
        method: 'GET',
        url,
        headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1', ...headers },
        followRedirects: true,
        idempotencyKey: `document:${url}`,
      },
      signal,
    );
    if (response.status < 200 || response.status >= 300) {
      throw standardError(
        'communication',
        'Document unavailable',
        `GET ${url} answered ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    const text = Buffer.from(response.body).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      try {
        return parseYaml(text);
      } catch {
        throw standardError(
          'communication',
          'Unreadable document',
          `${url} is neither JSON nor YAML`,
        );
      }
    }
  }

  async emit(taskKey: string, event: CloudEvent): Promise<void> {
    if (this.state.emitted.has(taskKey)) return;
    this.recorder.record({
      type: 'CloudEventEmitted',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        taskKey,
        cloudEventJson: this.recorder.redact(JSON.stringify(event)),
      },
    });
    this.state.emitted.add(taskKey);
    await this.tracked(() => this.flush());
    this.services.faults.reached('after-emit');
    this.services.routeEmitted(this.state.accountId, event);
  }

  listen(taskKey: string, subscription: EventSubscription, signal: AbortSignal): EventFeed {
    const feed = { queue: [...(this.state.consumed.get(taskKey) ?? [])] } as {
      queue: CloudEvent[];
      wake?: () => void;
    };
    this.feeds.set(taskKey, feed);
    // The subscription row first, then the event that says the task waits: an event published
    // in between is delivered (the task has not completed), never lost.
    let registered: Promise<void>;
    if (!this.state.awaiting.has(taskKey)) {
      this.state.awaiting.set(taskKey, JSON.stringify(subscription));
      registered = this.tracked(async () => {
        await this.services.subscribe(this.state, taskKey, subscription);
        this.recorder.record({
          type: 'EventAwaited',
          data: {
            workflowId: this.state.workflowId,
            executionId: this.state.executionId,
            taskKey,
            filterJson: JSON.stringify(subscription),
          },
        });
        await this.flush();
      });
    } else {
      registered = this.tracked(() => this.services.subscribe(this.state, taskKey, subscription));
    }
    return {
      next: async () => {
        await registered;
        for (;;) {
          const event = feed.queue.shift();
          if (event) return event;
          const arrived = new Promise<void>((resolve) => {
            feed.wake = resolve;
          });
          await this.durableWait(`@listen:${taskKey}`, undefined, signal, arrived);
        }
      },
      close: () => {
        this.feeds.delete(taskKey);
        void this.services.unsubscribe(this.state.executionId, taskKey).catch(() => undefined);
      },
    };
  }

  /** An event for a listen task of this execution, from the event router: recorded, then handed over. */
  async deliver(taskKey: string, event: CloudEvent): Promise<boolean> {
    if (this.closed) throw new ExecutionAborted('parked');
    const feed = this.feeds.get(taskKey);
    if (!feed && (this.state.completed.has(taskKey) || this.state.faulted.has(taskKey)))
      return false;
    this.recorder.record({
      type: 'EventConsumed',
      data: {
        workflowId: this.state.workflowId,
        executionId: this.state.executionId,
        taskKey,
        cloudEventJson: JSON.stringify(event),
      },
    });
    await this.flush();
    const list = this.state.consumed.get(taskKey) ?? [];
    list.push(event);
    this.state.consumed.set(taskKey, list);
    if (feed) {
      feed.queue.push(event);
      feed.wake?.();
    }
    return true;
  }

  /**
   * Starts the child and waits for its end like for an event: the parent parks while a long
   * child runs, and the child's end wakes it (a replay finds the child by its stable id).
   */
  async runWorkflow(call: SubWorkflowCall, signal: AbortSignal): Promise<unknown> {
    const childId = await this.tracked(async () => {
      await this.flush();
      return this.services.startChild(this.state, call);
    });
    const found = await this.tracked(() => this.services.childOutcome(childId));
    if (found) {
      if ('error' in found) throw found.error;
      return found.value;
    }
    let outcome: { value: unknown } | { error: unknown } | undefined;
    const ended = this.services.awaitChild(childId, signal).then(
      (value) => {
        outcome = { value };
      },
      (error: unknown) => {
        outcome = { error };
      },
    );
    await this.durableWait(`@child:${call.taskKey}`, undefined, signal, ended);
    await ended;
    const settled = outcome as { value: unknown } | { error: unknown };
    if ('error' in settled) throw settled.error;
    return settled.value;
  }

  /** This run is ending: later deliveries must be recorded through the log and wake a replay. */
  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resumes a suspended execution held at a checkpoint. */
  resume(): void {
    this.suspended = false;
    this.waits.get('@suspended')?.wake();
  }

  /** Writes what was recorded; a failed write stops this run (the runner replays the log). */
  async flush(): Promise<void> {
    this.effectResultsBuffered = false;
    try {
      await this.recorder.flush();
    } catch (error) {
      throw this.services.onStoreFailure(error);
    }
  }

  private json(value: unknown, what: string, at: string): string | null {
    if (value === undefined) return null;
    const text = this.recorder.redact(JSON.stringify(value));
    if (text.length > this.limits.maxOutputBytes) {
      throw standardError(
        'runtime',
        'Output too large',
        `${what} is ${text.length} bytes of JSON; the limit is ${this.limits.maxOutputBytes} (AWP_ENGINE_MAX_OUTPUT_BYTES)`,
        { instance: at },
      );
    }
    return text;
  }

  private async tracked<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.scheduleParkCheck();
    }
  }

  /**
   * Waits for `dueAt` (or forever) or for `until`, whichever comes first. Short waits stay in
   * memory; when every branch of the execution only waits, the session reports itself parked.
   */
  private async durableWait(
    key: string,
    dueAt: number | undefined,
    signal: AbortSignal,
    until?: Promise<void>,
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      this.waits.set(key, { dueAt, wake: resolve });
      if (dueAt !== undefined) timer = setTimeout(resolve, Math.max(0, dueAt - this.now()));
      until?.then(resolve, resolve);
    });
    this.scheduleParkCheck();
    try {
      await raceWithSignal(done, signal);
    } finally {
      clearTimeout(timer);
      this.waits.delete(key);
    }
  }

  private scheduleParkCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.inFlight > 0 || this.waits.size === 0) return;
      const now = this.now();
      let earliest: number | null = null;
      for (const wait of this.waits.values()) {
        if (wait.dueAt !== undefined) {
          if (wait.dueAt - now < this.services.parkAfterMs) return;
          earliest = earliest === null ? wait.dueAt : Math.min(earliest, wait.dueAt);
        }
      }
      for (const feed of this.feeds.values()) if (feed.queue.length > 0) return;
      this.closed = true;
      this.markParked(earliest);
    });
  }
}

function outboundError(error: unknown, call: HttpCall, signal: AbortSignal): Error {
  if (signal.aborted)
    return signal.reason instanceof Error ? signal.reason : new ExecutionAborted();
  if (error instanceof WorkflowError) return error;
  const target = `${call.method} ${call.url.split('?')[0]}`;
  if (error instanceof OutboundFailure) {
    switch (error.kind) {
      case 'refused':
        return standardError(
          'authorization',
          'Outbound call refused',
          `${target}: ${error.message}`,
          { status: 403 },
        );
      case 'timeout':
        return standardError('timeout', 'Call timed out', `${target}: ${error.message}`);
      case 'too_large':
        return standardError('communication', 'Response too large', `${target}: ${error.message}`, {
          status: 502,
        });
      default:
        return standardError('communication', 'Call failed', `${target}: ${error.message}`, {
          status: 503,
        });
    }
  }
  return standardError('communication', 'Call failed', `${target}: ${(error as Error).message}`, {
    status: 503,
  });
}
