import type { ExpressionVariables } from './runtimeExpressions.js';

/**
 * Where a task list runs: its JSON pointer in the document, the journal key of this run of it
 * and the idempotency path, plus the variables its tasks see (`$item`, `$error`, …).
 *
 * The journal key names one invocation exactly: a `for` iteration adds `[i]`, a task run again
 * after a `then` jump adds `#n`, a retry attempt adds `~a`. The idempotency path is the same
 * without the attempt, so an HTTP call retried by a `try` keeps its Idempotency-Key while a
 * loop iteration or a jump back gets a new one.
 */
export interface TaskScope {
  reference: string;
  key: string;
  idempotencyPath: string;
  attempt: number;
  variables: ExpressionVariables;
}

export const rootScope: TaskScope = {
  reference: '/do',
  key: '/do',
  idempotencyPath: '/do',
  attempt: 0,
  variables: {},
};

/** Identity of one task in a list run. */
export interface TaskPosition {
  reference: string;
  key: string;
  idempotencyPath: string;
}

export function taskPosition(
  scope: TaskScope,
  index: number,
  name: string,
  invocation: number,
): TaskPosition {
  const step = `/${index}/${name}`;
  const again = invocation > 0 ? `#${invocation}` : '';
  return {
    reference: `${scope.reference}${step}`,
    key: `${scope.key}${step}${again}`,
    idempotencyPath: `${scope.idempotencyPath}${step}${again}`,
  };
}

export interface NestedScopeOptions {
  /** The list's place under the task, e.g. `do`, `try`, `catch/do`, `fork/branches`. */
  segment: string;
  iteration?: number;
  attempt?: number;
  variables?: ExpressionVariables;
}

/** The scope of a task list nested in the task at `position`. */
export function nestedScope(
  parent: TaskScope,
  position: TaskPosition,
  options: NestedScopeOptions,
): TaskScope {
  const iteration = options.iteration === undefined ? '' : `[${options.iteration}]`;
  const attempt = options.attempt ? `~${options.attempt}` : '';
  return {
    reference: `${position.reference}/${options.segment}`,
    key: `${position.key}${iteration}${attempt}/${options.segment}`,
    idempotencyPath: `${position.idempotencyPath}${iteration}/${options.segment}`,
    attempt: options.attempt ?? parent.attempt,
    variables: options.variables ? { ...parent.variables, ...options.variables } : parent.variables,
  };
}
