import type { Task, TaskList, WorkflowDefinition } from '../../../../dsl/index.js';
import { taskKindOf } from '../../../../dsl/index.js';
import { dateTimeDescriptor } from './dateTime.js';
import { durationMs } from './durations.js';
import type { ExecutionHost, TaskInvocation, TaskOutcome } from './executionHost.js';
import type { TaskResult, TaskRun, TaskRunner } from './taskRun.js';
import type { ExpressionEvaluator, ExpressionVariables } from './runtimeExpressions.js';
import { SchemaValidator } from './schemaValidation.js';
import { taskExecutors } from './tasks/taskExecutors.js';
import { nestedScope, rootScope, taskPosition } from './taskScope.js';
import type { NestedScopeOptions, TaskPosition, TaskScope } from './taskScope.js';
import { ExecutionAborted, raceWithSignal } from './abort.js';
import { asWorkflowError, standardError, WorkflowError } from './workflowError.js';

export interface ExecutionIdentity {
  executionId: string;
  /** The raw workflow input. */
  input: unknown;
  startedAt: number;
  runtime: { name: string; version: string; metadata: Record<string, unknown> };
}

/** Kinds whose run has effects outside the interpreter; their start is recorded. */
const effectfulKinds = new Set(['call', 'emit', 'listen', 'wait', 'run']);

/**
 * Runs one Serverless Workflow 1.0 document. Deterministic given the host's journal: every
 * task invocation has a journal key, and a task the journal records as completed (or faulted)
 * is not run again — its recorded output (or error) is used. That is what makes replaying an
 * execution after a crash continue exactly where it was.
 */
export class WorkflowInterpreter implements TaskRunner {
  /** `$context`: replaced, never mutated, by `export.as`. */
  context: unknown = {};
  private taskRuns = 0;
  readonly schemas = new SchemaValidator();

  constructor(
    readonly definition: WorkflowDefinition,
    readonly expressions: ExpressionEvaluator,
    readonly host: ExecutionHost,
    readonly identity: ExecutionIdentity,
  ) {}

  /** Runs the workflow to its transformed output; throws `WorkflowError` when it faults. */
  async run(signal: AbortSignal): Promise<unknown> {
    const definition = this.definition;
    const raw = this.identity.input;
    await this.schemas.check(
      definition.input?.schema,
      raw,
      '/input/schema',
      'workflow input',
      this.host,
      signal,
    );
    const input =
      definition.input?.from === undefined
        ? raw
        : this.transform(definition.input.from, raw, this.workflowVariables(), '/input/from');
    this.context = {};
    const result = await this.runList(definition.do, input, rootScope, signal);
    let output = result.output;
    if (definition.output?.as !== undefined) {
      output = this.transform(definition.output.as, output, this.workflowVariables(), '/output/as');
    }
    await this.schemas.check(
      definition.output?.schema,
      output,
      '/output/schema',
      'workflow output',
      this.host,
      signal,
    );
    return output;
  }

  /**
   * Runs a task list in order, following flow directives. Returns the last output and `end`
   * when a task ended the workflow (every enclosing list stops too).
   */
  async runList(
    list: TaskList,
    input: unknown,
    scope: TaskScope,
    signal: AbortSignal,
  ): Promise<{ output: unknown; ended: boolean }> {
    const invocations = new Map<string, number>();
    let current = input;
    let index = 0;
    while (index < list.length) {
      const [name, task] = Object.entries(list[index] as Record<string, Task>)[0] as [string, Task];
      const invocation = invocations.get(name) ?? 0;
      invocations.set(name, invocation + 1);
      const outcome = await this.runTask(
        name,
        task,
        current,
        taskPosition(scope, index, name, invocation),
        scope,
        signal,
      );
      current = outcome.output;
      switch (outcome.flow) {
        case 'continue':
          index += 1;
          break;
        case 'exit':
          return { output: current, ended: false };
        case 'end':
          return { output: current, ended: true };
        default: {
          const target = list.findIndex((item) => outcome.flow in item);
          if (target < 0) {
            throw standardError(
              'configuration',
              'Unknown flow target',
              `no task named '${outcome.flow}' in this list`,
              {
                instance: taskPosition(scope, index, name, 0).reference,
              },
            );
          }
          index = target;
        }
      }
    }
    return { output: current, ended: false };
  }

  /** Runs the task list nested in the task at `position`. */
  runNested(
    list: TaskList,
    input: unknown,
    parent: TaskScope,
    position: TaskPosition,
    options: NestedScopeOptions,
    signal: AbortSignal,
  ): Promise<{ output: unknown; ended: boolean }> {
    return this.runList(list, input, nestedScope(parent, position, options), signal);
  }

  /** Runs one task (a fork branch is one) through the whole data flow of the spec. */
  async runTask(
    name: string,
    task: Task,
    rawInput: unknown,
    position: TaskPosition,
    scope: TaskScope,
    signal: AbortSignal,
  ): Promise<TaskOutcome> {
    const journal = this.host.journal;
    const recorded = journal.completed(position.key);
    if (recorded) {
      if (recorded.context !== undefined) this.context = recorded.context;
      return { output: recorded.output, flow: recorded.flow };
    }
    const fault = journal.faulted(position.key);
    if (fault) {
      const error = new WorkflowError(fault);
      error.recorded = true;
      throw error;
    }
    await this.host.checkpoint(signal);
    this.countTaskRun(position.reference);
    const kind = taskKindOf(task) ?? 'unknown';
    const invocation: TaskInvocation = {
      key: position.key,
      reference: position.reference,
      name,
      kind,
      attempt: scope.attempt,
      idempotencyKey: position.idempotencyPath,
      startedAt: this.host.now(),
    };
    try {
      return await this.runTaskFlow(name, task, rawInput, position, scope, invocation, signal);
    } catch (error) {
      if (error instanceof ExecutionAborted || signal.aborted) throw error;
      const failure = asWorkflowError(error, position.reference);
      if (!failure.recorded) {
        this.host.taskFaulted(invocation, failure.problem);
        failure.recorded = true;
      }
      throw failure;
    }
  }

  private async runTaskFlow(
    name: string,
    task: Task,
    rawInput: unknown,
    position: TaskPosition,
    scope: TaskScope,
    invocation: TaskInvocation,
    signal: AbortSignal,
  ): Promise<TaskOutcome> {
    const at = position.reference;
    const descriptor: Record<string, unknown> = {
      name,
      reference: at,
      definition: task,
      input: rawInput,
      startedAt: dateTimeDescriptor(invocation.startedAt),
    };
    const contextBefore = this.context;
    const base = (extra?: ExpressionVariables): ExpressionVariables => ({
      ...scope.variables,
      context: this.context,
      secrets: () => this.secretsObject(),
      task: descriptor,
      workflow: () => this.workflowDescriptor(),
      runtime: this.identity.runtime,
      ...extra,
    });

    if (task.if !== undefined && !this.expressions.test(task.if, rawInput, base(), `${at}/if`)) {
      const skipped = { output: rawInput, flow: 'continue' };
      this.host.taskCompleted(invocation, skipped, undefined);
      return skipped;
    }
    await this.schemas.check(
      task.input?.schema,
      rawInput,
      `${at}/input/schema`,
      `input of task '${name}'`,
      this.host,
      signal,
    );
    const input =
      task.input?.from === undefined
        ? rawInput
        : this.transform(task.input.from, rawInput, base(), `${at}/input/from`);

    const deadlineAt = this.taskDeadline(task, invocation);
    if (deadlineAt !== undefined) invocation.deadlineAt = deadlineAt;
    const startRecorded = this.host.journal.started(invocation.key) !== undefined;
    if (!startRecorded && (effectfulKinds.has(invocation.kind) || deadlineAt !== undefined)) {
      this.host.taskStarted(invocation);
    }

    let authorization: unknown = null;
    const expired = deadlineAt === undefined ? undefined : new AbortController();
    const taskSignal = expired ? AbortSignal.any([signal, expired.signal]) : signal;
    const run: TaskRun = {
      interpreter: this,
      name,
      task,
      position,
      scope,
      invocation,
      input,
      signal: taskSignal,
      variables: (extra) => base({ input, authorization, ...extra }),
    };
    const executor = taskExecutors[invocation.kind];
    if (!executor) {
      throw standardError(
        'configuration',
        'Unsupported task',
        `task '${name}' has no task type AWP can run`,
      );
    }
    const execution = executor(run, (resolved) => {
      authorization = resolved;
    });
    const result =
      deadlineAt === undefined || expired === undefined
        ? await execution
        : await this.withDeadline(execution, deadlineAt, expired, invocation, signal);

    descriptor.output = result.output;
    let output = result.output;
    const outputVariables = base({ input, authorization });
    if (task.output?.as !== undefined)
      output = this.transform(task.output.as, output, outputVariables, `${at}/output/as`);
    await this.schemas.check(
      task.output?.schema,
      output,
      `${at}/output/schema`,
      `output of task '${name}'`,
      this.host,
      signal,
    );
    if (task.export?.as !== undefined) {
      this.context = this.transform(
        task.export.as,
        output,
        { ...outputVariables, output },
        `${at}/export/as`,
      );
      await this.schemas.check(
        task.export?.schema,
        this.context,
        `${at}/export/schema`,
        'workflow context',
        this.host,
        signal,
      );
    }
    const outcome = { output, flow: result.flow ?? task.then ?? 'continue' };
    this.host.taskCompleted(
      invocation,
      outcome,
      this.context === contextBefore ? undefined : this.context,
    );
    return outcome;
  }

  /** Evaluates an `input.from` / `output.as` / `export.as`: an expression or an object of them. */
  transform(value: unknown, input: unknown, variables: ExpressionVariables, at: string): unknown {
    if (typeof value === 'string') return this.expressions.evaluate(value, input, variables, at);
    return this.expressions.evaluateDeep(value, input, variables, at);
  }

  /** Resolves a reusable component by name from `use`, or returns the inline definition. */
  resolveUse<T>(
    value: string | T,
    collection: keyof NonNullable<WorkflowDefinition['use']>,
    at: string,
  ): T {
    if (typeof value !== 'string') return value;
    const found = (this.definition.use?.[collection] as Record<string, unknown> | undefined)?.[
      value
    ];
    if (found === undefined) {
      throw standardError(
        'configuration',
        'Unknown reference',
        `'${value}' is not defined in use.${collection}`,
        {
          instance: at,
        },
      );
    }
    return found as T;
  }

  /** `$secrets`: every secret the workflow declares; one that does not exist is a 403 fault. */
  secretsObject(): Record<string, unknown> {
    const secrets: Record<string, unknown> = {};
    for (const name of this.definition.use?.secrets ?? []) secrets[name] = this.host.secret(name);
    return secrets;
  }

  workflowVariables(): ExpressionVariables {
    return {
      context: this.context,
      secrets: () => this.secretsObject(),
      workflow: () => this.workflowDescriptor(),
      runtime: this.identity.runtime,
    };
  }

  private workflowDescriptor(): Record<string, unknown> {
    return {
      id: this.identity.executionId,
      definition: this.definition,
      input: this.identity.input,
      startedAt: dateTimeDescriptor(this.identity.startedAt),
    };
  }

  private countTaskRun(at: string): void {
    this.taskRuns += 1;
    if (this.taskRuns > this.host.limits.maxTaskRuns) {
      throw standardError(
        'runtime',
        'Task run limit exceeded',
        `the execution ran more than ${this.host.limits.maxTaskRuns} tasks; a flow loop or a huge iteration is the usual cause (limit: AWP_ENGINE_MAX_TASK_RUNS)`,
        { instance: at },
      );
    }
  }

  private taskDeadline(task: Task, invocation: TaskInvocation): number | undefined {
    const recorded = this.host.journal.started(invocation.key)?.deadlineAt;
    if (recorded !== undefined) return recorded;
    if (task.timeout === undefined) return undefined;
    const at = `${invocation.reference}/timeout`;
    const timeout = this.resolveUse<{ after?: unknown }>(
      task.timeout as string | { after?: unknown },
      'timeouts',
      at,
    );
    return invocation.startedAt + durationMs(timeout.after, at);
  }

  /**
   * Races a task against its deadline, a durable timer so that it still fires after a restart.
   * On expiry the task's signal aborts whatever it is waiting for.
   */
  private async withDeadline(
    execution: Promise<TaskResult>,
    deadlineAt: number,
    expired: AbortController,
    invocation: TaskInvocation,
    signal: AbortSignal,
  ): Promise<TaskResult> {
    const settled = new AbortController();
    const timer = this.host
      .sleep(
        { key: `${invocation.key}@timeout`, dueAt: deadlineAt, purpose: 'timeout' },
        AbortSignal.any([signal, settled.signal]),
      )
      .then(() => {
        expired.abort();
        throw standardError(
          'timeout',
          'Task timed out',
          `task '${invocation.name}' did not finish by its timeout`,
          {
            instance: invocation.reference,
          },
        );
      });
    timer.catch(() => undefined);
    execution.catch(() => undefined);
    try {
      return await raceWithSignal(Promise.race([execution, timer]), signal);
    } finally {
      settled.abort();
    }
  }
}
