import type { Task, TaskList, WorkflowDefinition } from '../../../../dsl/index.js';
import type { ExecutionHost, TaskInvocation, TaskOutcome } from './executionHost.js';
import type { ExpressionEvaluator, ExpressionVariables } from './runtimeExpressions.js';
import type { NestedScopeOptions, TaskPosition, TaskScope } from './taskScope.js';

/** What task executors may ask of the interpreter running them. */
export interface TaskRunner {
  readonly expressions: ExpressionEvaluator;
  readonly host: ExecutionHost;
  runNested(
    list: TaskList,
    input: unknown,
    parent: TaskScope,
    position: TaskPosition,
    options: NestedScopeOptions,
    signal: AbortSignal,
  ): Promise<{ output: unknown; ended: boolean }>;
  runTask(
    name: string,
    task: Task,
    rawInput: unknown,
    position: TaskPosition,
    scope: TaskScope,
    signal: AbortSignal,
  ): Promise<TaskOutcome>;
  transform(value: unknown, input: unknown, variables: ExpressionVariables, at: string): unknown;
  resolveUse<T>(
    value: string | T,
    collection: keyof NonNullable<WorkflowDefinition['use']>,
    at: string,
  ): T;
}

/** What a task executor is given: the task, its transformed input and its variables. */
export interface TaskRun {
  readonly interpreter: TaskRunner;
  readonly name: string;
  readonly task: Task;
  readonly position: TaskPosition;
  readonly scope: TaskScope;
  readonly invocation: TaskInvocation;
  readonly input: unknown;
  readonly signal: AbortSignal;
  /** The variables of the task definition site (`$context`, `$input`, `$task`, …). */
  variables(extra?: ExpressionVariables): ExpressionVariables;
}

/** What a task executor returns: its raw output and, for `switch`, where to go next. */
export interface TaskResult {
  output: unknown;
  flow?: string;
}
