/**
 * Errors as the Serverless Workflow spec describes them: RFC 9457 problem details whose
 * `instance` is the JSON pointer of the task that raised them. They are data, not exceptions
 * first: a `try` task matches on them, `$error` exposes them to jq, events record them.
 */
export interface WorkflowProblem {
  type: string;
  status: number;
  title?: string;
  detail?: string;
  instance?: string;
}

const specErrors = 'https://serverlessworkflow.io/spec/1.0.0/errors/';

/** The standard error types of the DSL reference, with their default statuses. */
export const errorTypes = {
  configuration: { type: `${specErrors}configuration`, status: 400 },
  validation: { type: `${specErrors}validation`, status: 400 },
  expression: { type: `${specErrors}expression`, status: 400 },
  authentication: { type: `${specErrors}authentication`, status: 401 },
  authorization: { type: `${specErrors}authorization`, status: 403 },
  timeout: { type: `${specErrors}timeout`, status: 408 },
  communication: { type: `${specErrors}communication`, status: 500 },
  runtime: { type: `${specErrors}runtime`, status: 500 },
} as const;

export type StandardErrorKind = keyof typeof errorTypes;

export class WorkflowError extends Error {
  override name = 'WorkflowError';
  /** Set once a `TaskFaulted` event holds this error, so enclosing tasks do not record it again. */
  recorded = false;

  constructor(readonly problem: WorkflowProblem) {
    super(problem.detail ?? problem.title ?? problem.type);
  }

  /** The same error, attributed to `instance` unless it already names where it came from. */
  at(instance: string): WorkflowError {
    if (this.problem.instance !== undefined) return this;
    const located = new WorkflowError({ ...this.problem, instance });
    located.recorded = this.recorded;
    return located;
  }
}

/** An error of one of the standard types, e.g. `standardError('timeout', 'Task timed out', …)`. */
export function standardError(
  kind: StandardErrorKind,
  title: string,
  detail?: string,
  extra: { status?: number; instance?: string } = {},
): WorkflowError {
  const { type, status } = errorTypes[kind];
  return new WorkflowError({
    type,
    status: extra.status ?? status,
    title,
    ...(detail === undefined ? {} : { detail }),
    ...(extra.instance === undefined ? {} : { instance: extra.instance }),
  });
}

/** Anything thrown inside a task, as the workflow sees it. Unknown failures are runtime errors. */
export function asWorkflowError(error: unknown, instance: string): WorkflowError {
  if (error instanceof WorkflowError) return error.at(instance);
  const message = error instanceof Error ? error.message : String(error);
  return standardError('runtime', 'Runtime error', message, { instance });
}
