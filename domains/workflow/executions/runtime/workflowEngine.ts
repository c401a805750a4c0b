import { v5 as uuidV5 } from 'uuid';
import type {
  Actor,
  Clock,
  Database,
  EventEnvelope,
  EventStore,
  IdGenerator,
} from '../../../../contracts/index.js';
import { AwpError, StreamVersionConflict, workflowTopic } from '../../../../contracts/index.js';
import type { ExecutionEvent, ExecutionTrigger } from '../../../../contracts/index.js';
import type { EngineLog } from '../../ports/engineLog.js';
import { silentLog } from '../../ports/engineLog.js';
import type { ExpressionEngine } from '../../ports/expressionEngine.js';
import type { OutboundHttp } from '../../ports/outboundHttp.js';
import { noFaults } from '../../ports/faultInjector.js';
import type { FaultInjector } from '../../ports/faultInjector.js';
import type { SecretStore } from '../../ports/secretStore.js';
import type { LoadedWorkflow, WorkflowDefinitions } from '../../ports/workflowDefinitions.js';
import { ExecutionAborted } from '../interpreter/abort.js';
import { isPattern, matchesEventFilter } from '../interpreter/eventMatching.js';
import { defaultEngineLimits } from '../interpreter/executionHost.js';
import type {
  CloudEvent,
  EngineLimits,
  EventSubscription,
  SubWorkflowCall,
} from '../interpreter/executionHost.js';
import { ExpressionEvaluator } from '../interpreter/runtimeExpressions.js';
import { standardError, WorkflowError } from '../interpreter/workflowError.js';
import { failWithoutRunning, runExecutionOnce, workflowDeadline } from './executionDriver.js';
import type { ActiveRun, DriverContext, RunEnd } from './executionDriver.js';
import { ExecutionIndex } from './executionIndex.js';
import { evolveExecution, foldExecution, isTerminal } from './executionState.js';
import type { ExecutionState } from './executionState.js';

export interface WorkflowEngineOptions {
  db: Database;
  eventStore: EventStore;
  definitions: WorkflowDefinitions;
  secrets: SecretStore;
  outbound: OutboundHttp;
  expressions: ExpressionEngine;
  clock: Clock;
  ids: IdGenerator;
  log?: EngineLog;
  limits?: Partial<EngineLimits>;
  /** What `$runtime` shows. */
  runtime?: { name: string; version: string };
  /** This process, as lease holder. Default: a new id. */
  owner?: string;
  /** How long a lease lasts without renewal (a dead process's executions wait this long). Default 15 s. */
  leaseMs?: number;
  /** How often due timers, woken and abandoned executions are looked for. Default 250 ms. */
  pollMs?: number;
  /** Waits shorter than this stay in memory. Default 2 s. */
  parkAfterMs?: number;
  /** The only engine on this database (embedded): leases left by a previous run are void. */
  exclusive?: boolean;
  /** Crash points for the durability tests; nothing in production. */
  faults?: FaultInjector;
  /** Executions of one account running at once in this process (a bulkhead). Default 50. */
  maxConcurrentPerAccount?: number;
}

export interface StartExecution {
  accountId: string;
  workflowId: string;
  version: string;
  input: unknown;
  trigger: ExecutionTrigger;
  actor: Actor;
  correlationId: string;
  executionId?: string;
  parent?: { executionId: string; taskKey: string; depth: number };
}

const childNamespace = '2b8e4c61-8d0f-5a7e-b3c2-7d9e0f1a2b3c';

/**
 * The workflow engine: starts executions, runs them durably (one event stream each), parks
 * those that wait and wakes them when their timer is due or their event arrives, and picks up
 * whatever a crashed process left behind.
 */
export class WorkflowEngine {
  readonly index: ExecutionIndex;
  private readonly evaluator: ExpressionEvaluator;
  private readonly limits: EngineLimits;
  private readonly log: EngineLog;
  private readonly active = new Map<string, ActiveRun>();
  private readonly driving = new Map<string, Promise<void>>();
  private readonly runningPerAccount = new Map<string, number>();
  private readonly endWaiters = new Map<string, Array<(state: ExecutionState) => void>>();
  private timer: NodeJS.Timeout | undefined;
  private lastRenewal = 0;
  private stopped = false;
  private ticking = false;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: WorkflowEngineOptions) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 250;
    this.index = new ExecutionIndex(options.db, options.owner ?? options.ids.newId(), this.leaseMs);
    this.evaluator = new ExpressionEvaluator(options.expressions);
    this.limits = { ...defaultEngineLimits, ...options.limits };
    this.log = options.log ?? silentLog;
  }

  /** Recovers what a previous process left and starts the scheduler. */
  async start(): Promise<void> {
    if (this.options.exclusive) await this.index.releaseAllLeases();
    this.schedule(0);
  }

  /** Stops every run here (their progress is in the log) and the scheduler. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const run of this.active.values()) run.controller.abort(new ExecutionAborted('shutdown'));
    await Promise.allSettled([...this.driving.values()]);
  }

  async startExecution(request: StartExecution): Promise<{ executionId: string }> {
    const workflow = await this.options.definitions.load(
      request.accountId,
      request.workflowId,
      request.version,
    );
    if (!workflow) {
      throw new AwpError(
        'not_found',
        `workflow '${request.workflowId}' version '${request.version}' does not exist`,
      );
    }
    const executionId = request.executionId ?? this.options.ids.newId();
    const depth = request.parent ? request.parent.depth + 1 : 0;
    const added = await this.index.add({
      executionId,
      accountId: request.accountId,
      workflowId: workflow.workflowId,
      workflowName: workflow.name,
      workflowVersion: workflow.version,
      parentExecutionId: request.parent?.executionId ?? null,
      depth,
    });
    if (!added) return { executionId };
    const deadline = workflowDeadline(workflow, this.options.clock.now().getTime());
    let started: ExecutionState;
    try {
      const appended = await this.options.eventStore.append({
        streamId: `execution-${executionId}`,
        expectedVersion: 'no_stream',
        events: [
          {
            type: 'WorkflowExecutionStarted',
            data: {
              workflowId: workflow.workflowId,
              executionId,
              trigger: request.trigger,
              namespace: workflow.namespace,
              name: workflow.name,
              workflowVersion: workflow.version,
              inputJson: JSON.stringify(request.input ?? null),
              parentExecutionId: request.parent?.executionId ?? null,
              parentTaskKey: request.parent?.taskKey ?? null,
              deadlineAt: deadline === undefined ? null : new Date(deadline).toISOString(),
            },
          },
        ],
        metadata: {
          accountId: request.accountId,
          correlationId: request.correlationId,
          causationId: null,
          actor: request.actor,
        },
        topic: workflowTopic,
      });
      started = foldExecution(executionId, appended.events);
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) {
        await this.index.release(executionId, 'faulted', null);
        throw error;
      }
      this.drive(executionId);
      return { executionId };
    }
    // Added with this process as its owner and folded from what was just written: the first
    // run needs neither a claim nor a read.
    this.drive(executionId, started);
    return { executionId };
  }

  /** Resolves once the execution has ended (completed, faulted or cancelled). */
  awaitEnd(executionId: string, signal?: AbortSignal): Promise<ExecutionState> {
    return new Promise((resolve, reject) => {
      const waiters = this.endWaiters.get(executionId) ?? [];
      waiters.push(resolve);
      this.endWaiters.set(executionId, waiters);
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      // It may have ended before we asked (the scheduler also checks on executions that run
      // in another process).
      void this.checkEnded(executionId);
    });
  }

  private async checkEnded(executionId: string): Promise<void> {
    // Running here: its end notifies the waiters without asking the database.
    if (this.driving.has(executionId)) return;
    const indexed = await this.index.find(executionId);
    if (!indexed || !isTerminal(indexed.status)) return;
    const state = await this.readState(executionId);
    if (state && isTerminal(state.status)) this.notifyEnd(state);
  }

  /** The execution's events, in stream order. */
  readEvents(executionId: string): Promise<EventEnvelope[]> {
    return this.options.eventStore.readStream(`execution-${executionId}`);
  }

  async readState(executionId: string): Promise<ExecutionState | undefined> {
    const events = await this.options.eventStore.readStream(`execution-${executionId}`);
    return events.length === 0 ? undefined : foldExecution(executionId, events);
  }

  async cancel(
    accountId: string,
    executionId: string,
    actor: Actor,
    reason: string | null,
  ): Promise<ExecutionState> {
    return this.control(accountId, executionId, actor, 'cancel', (state) => ({
      type: 'ExecutionCancelled',
      data: { workflowId: state.workflowId, executionId, reason },
    }));
  }

  async suspend(
    accountId: string,
    executionId: string,
    actor: Actor,
    reason: string | null,
  ): Promise<ExecutionState> {
    return this.control(accountId, executionId, actor, 'suspend', (state) => ({
      type: 'ExecutionSuspended',
      data: { workflowId: state.workflowId, executionId, reason },
    }));
  }

  async resume(accountId: string, executionId: string, actor: Actor): Promise<ExecutionState> {
    return this.control(accountId, executionId, actor, 'resume', (state) => ({
      type: 'ExecutionResumed',
      data: { workflowId: state.workflowId, executionId },
    }));
  }

  /**
   * Delivers a CloudEvent to the account's waiting `listen` tasks whose filters it matches.
   * Each delivery is recorded in the execution's stream before this returns.
   */
  async publish(accountId: string, event: CloudEvent): Promise<{ delivered: number }> {
    let delivered = 0;
    for (const subscription of await this.index.subscriptions(accountId, event.type)) {
      const filters = (JSON.parse(subscription.filterJson) as EventSubscription).filters;
      let matches = false;
      try {
        matches =
          filters.length === 0 ||
          filters.some((filter) => matchesEventFilter(this.evaluator, filter, event, '/listen'));
      } catch (error) {
        this.log.warn({ executionId: subscription.executionId, err: error }, 'event filter failed');
      }
      if (!matches) continue;
      if (await this.deliver(subscription.executionId, subscription.taskKey, event)) delivered += 1;
    }
    return { delivered };
  }

  private async deliver(executionId: string, taskKey: string, event: CloudEvent): Promise<boolean> {
    const active = this.active.get(executionId);
    if (active) {
      try {
        const delivered = await active.session.deliver(taskKey, event);
        // Recorded, but the run may have parked meanwhile: a replay must pick the event up.
        if (delivered && active.session.isClosed) {
          await this.index.wake(executionId);
          this.schedule(0);
        }
        return delivered;
      } catch {
        // The run is ending; deliver through the log below.
      }
    }
    const delivered = await this.appendWithRetry(executionId, (state) =>
      // Delivered while the listen task has not finished, even if its EventAwaited is not
      // written yet (the subscription row is stored first).
      !state.completed.has(taskKey) && !state.faulted.has(taskKey) && !isTerminal(state.status)
        ? {
            type: 'EventConsumed',
            data: {
              workflowId: state.workflowId,
              executionId,
              taskKey,
              cloudEventJson: JSON.stringify(event),
            },
          }
        : undefined,
    );
    if (delivered) {
      await this.index.wake(executionId);
      this.schedule(0);
    }
    return delivered !== undefined;
  }

  private async control(
    accountId: string,
    executionId: string,
    actor: Actor,
    action: 'cancel' | 'suspend' | 'resume',
    eventFor: (state: ExecutionState) => ExecutionEvent,
  ): Promise<ExecutionState> {
    const indexed = await this.index.get(accountId, executionId);
    if (!indexed) throw new AwpError('not_found', `execution '${executionId}' does not exist`);
    const active = this.active.get(executionId);
    const state = await this.appendWithRetry(
      executionId,
      (current) => {
        if (isTerminal(current.status)) {
          throw new AwpError(
            'illegal_state',
            `execution '${executionId}' has already ${current.status === 'cancelled' ? 'been cancelled' : current.status}`,
          );
        }
        if (action === 'resume' && current.status !== 'suspended') {
          throw new AwpError('illegal_state', `execution '${executionId}' is not suspended`);
        }
        if (action === 'suspend' && current.status === 'suspended') {
          throw new AwpError('illegal_state', `execution '${executionId}' is already suspended`);
        }
        return eventFor(current);
      },
      actor,
    );
    if (!state) throw new AwpError('internal', `could not ${action} execution '${executionId}'`);
    if (action === 'cancel') {
      active?.controller.abort(new ExecutionAborted('cancelled'));
      await this.index.unsubscribe(executionId);
      if (!active) await this.index.release(executionId, 'cancelled', null);
      this.notifyEnd(state);
    } else if (action === 'suspend') {
      if (active) active.controller.abort(new ExecutionAborted('replaced'));
      else await this.index.setStatus(executionId, 'suspended');
    } else {
      await this.index.setStatus(executionId, 'running');
      await this.index.wake(executionId);
      this.schedule(0);
    }
    return state;
  }

  /**
   * Appends one event decided from the current state, retrying when another writer got there
   * first. Returns the state after the append, or undefined when `decide` chose nothing.
   */
  private async appendWithRetry(
    executionId: string,
    decide: (state: ExecutionState) => ExecutionEvent | undefined,
    actor: Actor = { type: 'system', id: 'workflow-engine' },
  ): Promise<ExecutionState | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const state = await this.readState(executionId);
      if (!state) throw new AwpError('not_found', `execution '${executionId}' does not exist`);
      const event = decide(state);
      if (!event) return undefined;
      try {
        const result = await this.options.eventStore.append({
          streamId: `execution-${executionId}`,
          expectedVersion: state.version,
          events: [event],
          metadata: {
            accountId: state.accountId,
            correlationId: executionId,
            causationId: null,
            actor,
          },
          topic: workflowTopic,
        });
        for (const appended of result.events) evolveExecution(state, appended);
        return state;
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error;
      }
    }
    throw new AwpError('conflict', `execution '${executionId}' is changing too fast; try again`, {
      retryable: true,
    });
  }

  /** Runs an execution here unless it already runs here or another process holds it. */
  private drive(executionId: string, started?: ExecutionState): void {
    if (this.stopped) return;
    const running = this.active.get(executionId);
    if (running || this.driving.has(executionId)) return;
    const work = this.driveLoop(executionId, started)
      .catch((error: unknown) =>
        this.log.error({ executionId, err: error }, 'execution run failed'),
      )
      .finally(() => this.driving.delete(executionId));
    this.driving.set(executionId, work);
  }

  private async driveLoop(executionId: string, started?: ExecutionState): Promise<void> {
    if (!started && !(await this.index.claim(executionId))) return;
    let known = started;
    for (let replays = 0; !this.stopped; replays += 1) {
      const state = known ?? (await this.readState(executionId));
      known = undefined;
      if (!state) {
        await this.index.release(executionId, 'faulted', null);
        return;
      }
      if (isTerminal(state.status)) {
        await this.index.release(executionId, state.status, null);
        this.notifyEnd(state);
        return;
      }
      if (state.status === 'suspended') {
        await this.index.release(executionId, 'suspended', null);
        return;
      }
      if (!this.acquireSlot(state.accountId)) {
        await this.index.release(executionId, 'running', Date.now() + this.pollMs);
        return;
      }
      let end;
      try {
        end = await this.runOnce(state);
      } finally {
        this.releaseSlot(state.accountId);
      }
      switch (end.kind) {
        case 'replay':
          if (replays > 50) {
            await this.index.release(executionId, 'running', Date.now() + 1_000);
            return;
          }
          continue;
        case 'parked':
          await this.index.release(
            executionId,
            end.suspended ? 'suspended' : 'waiting',
            end.wakeAt,
          );
          return;
        case 'shutdown':
          await this.index.release(executionId, 'running', null);
          return;
        default:
          // The run left its final status, output or error in `state`; the end is in the log,
          // so waiters hear of it before the index is updated.
          this.notifyEnd(state);
          if (state.awaiting.size > 0) await this.index.unsubscribe(executionId);
          await this.index.release(executionId, state.status, null);
          return;
      }
    }
  }

  private async runOnce(state: ExecutionState): Promise<RunEnd> {
    let workflow: LoadedWorkflow | undefined;
    let secrets: Record<string, unknown>;
    try {
      workflow = await this.options.definitions.load(
        state.accountId,
        state.workflowId,
        state.workflowVersion,
      );
      const names = workflow?.definition.use?.secrets ?? [];
      secrets = names.length > 0 ? await this.options.secrets.read(state.accountId, names) : {};
    } catch (error) {
      this.log.warn(
        { executionId: state.executionId, err: error },
        'could not load the workflow or its secrets; will retry',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { kind: 'replay' };
    }
    const context = this.driverContext();
    if (!workflow) {
      return failWithoutRunning(
        context,
        state,
        standardError(
          'configuration',
          'Workflow version not found',
          `workflow '${state.workflowId}' version '${state.workflowVersion}' no longer exists`,
        ),
      );
    }
    return runExecutionOnce(context, state, workflow, secrets);
  }

  private driverContext(): DriverContext {
    return {
      eventStore: this.options.eventStore,
      expressions: this.evaluator,
      runtime: this.options.runtime ?? { name: 'AWP', version: '0.1.0' },
      metadataFor: (state) => ({
        accountId: state.accountId,
        correlationId: state.executionId,
        causationId: null,
        actor: { type: 'system', id: 'workflow-engine' },
      }),
      onActive: (executionId, run) => {
        if (run) this.active.set(executionId, run);
        else this.active.delete(executionId);
      },
      services: {
        outbound: this.options.outbound,
        faults: this.options.faults ?? noFaults,
        limits: this.limits,
        now: () => this.options.clock.now().getTime(),
        parkAfterMs: this.options.parkAfterMs ?? 2_000,
        routeEmitted: (accountId, event) => {
          void this.publish(accountId, event).catch((error: unknown) =>
            this.log.warn({ accountId, err: error }, 'routing an emitted event failed'),
          );
        },
        subscribe: (state, taskKey, subscription) =>
          this.index.subscribe(
            state.accountId,
            state.executionId,
            taskKey,
            JSON.stringify(subscription),
            eventTypesOf(subscription),
          ),
        unsubscribe: (executionId, taskKey) => this.index.unsubscribe(executionId, taskKey),
        startChild: (parent, call) => this.startChild(parent, call),
        awaitChild: (executionId, signal) => this.awaitChild(executionId, signal),
        childOutcome: async (executionId) => {
          const state = await this.readState(executionId);
          if (!state || !isTerminal(state.status)) return undefined;
          try {
            return { value: childOutput(state) };
          } catch (error) {
            return { error };
          }
        },
      },
    };
  }

  private async startChild(parent: ExecutionState, call: SubWorkflowCall): Promise<string> {
    const workflow = await this.options.definitions.find(
      parent.accountId,
      call.namespace,
      call.name,
      call.version,
    );
    if (!workflow) {
      throw standardError(
        'configuration',
        'Workflow not found',
        `no workflow '${call.namespace}/${call.name}' version '${call.version}'`,
      );
    }
    const indexed = await this.index.find(parent.executionId);
    const depth = indexed?.depth ?? 0;
    if (depth + 1 > this.limits.maxSubWorkflowDepth) {
      throw standardError(
        'runtime',
        'Sub-workflow depth exceeded',
        `sub-workflows may nest ${this.limits.maxSubWorkflowDepth} deep (AWP_ENGINE_MAX_SUBWORKFLOW_DEPTH)`,
      );
    }
    const executionId = uuidV5(`${parent.executionId}:${call.taskKey}`, childNamespace);
    await this.startExecution({
      accountId: parent.accountId,
      workflowId: workflow.workflowId,
      version: workflow.version,
      input: call.input,
      trigger: 'workflow',
      actor: { type: 'system', id: 'workflow-engine' },
      correlationId: parent.executionId,
      executionId,
      parent: { executionId: parent.executionId, taskKey: call.taskKey, depth },
    });
    return executionId;
  }

  private async awaitChild(executionId: string, signal: AbortSignal): Promise<unknown> {
    return childOutput(await this.awaitEnd(executionId, signal));
  }

  private notifyEnd(state: ExecutionState): void {
    const waiters = this.endWaiters.get(state.executionId);
    if (waiters) {
      this.endWaiters.delete(state.executionId);
      for (const resolve of waiters) resolve(state);
    }
    if (state.parentExecutionId)
      void this.index.wake(state.parentExecutionId).then(() => this.schedule(0));
  }

  private acquireSlot(accountId: string): boolean {
    const running = this.runningPerAccount.get(accountId) ?? 0;
    if (running >= (this.options.maxConcurrentPerAccount ?? 50)) return false;
    this.runningPerAccount.set(accountId, running + 1);
    return true;
  }

  private releaseSlot(accountId: string): void {
    const running = (this.runningPerAccount.get(accountId) ?? 1) - 1;
    if (running <= 0) this.runningPerAccount.delete(accountId);
    else this.runningPerAccount.set(accountId, running);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  /** One scheduler pass: renew leases, reload runs woken from elsewhere, start due ones. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const now = Date.now();
      if (now - this.lastRenewal > this.leaseMs / 3) {
        this.lastRenewal = now;
        await this.index.renew([...this.active.keys()]);
      }
      for (const executionId of await this.index.wokenOwned()) {
        const run = this.active.get(executionId);
        // Claiming clears the wake-up, so the replay it causes is asked for once.
        if (run && (await this.index.claim(executionId)))
          run.controller.abort(new ExecutionAborted('replaced'));
        else if (!run) this.drive(executionId);
      }
      for (const executionId of await this.index.due(100)) this.drive(executionId);
      for (const executionId of this.endWaiters.keys()) {
        if (!this.active.has(executionId)) await this.checkEnded(executionId);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'workflow scheduler pass failed');
    } finally {
      this.ticking = false;
      this.schedule(this.pollMs);
    }
  }
}

/**
 * The literal event types a subscription's filters name, so that publishing an event reads
 * only the subscriptions that may match; null when any filter accepts other types too.
 */
function eventTypesOf(subscription: EventSubscription): string[] | null {
  if (subscription.filters.length === 0) return null;
  const types = new Set<string>();
  for (const filter of subscription.filters) {
    const type = filter.with.type;
    if (typeof type !== 'string' || isPattern(type)) return null;
    types.add(type);
  }
  return [...types];
}

/** A finished child's output, or its fault (or cancellation) as the parent's workflow error. */
function childOutput(ended: ExecutionState): unknown {
  if (ended.status === 'completed') {
    return ended.outputJson === null ? null : (JSON.parse(ended.outputJson) as unknown);
  }
  if (ended.status === 'faulted' && ended.error) throw new WorkflowError({ ...ended.error });
  throw standardError(
    'runtime',
    'Sub-workflow cancelled',
    `sub-workflow execution '${ended.executionId}' was cancelled`,
  );
}
