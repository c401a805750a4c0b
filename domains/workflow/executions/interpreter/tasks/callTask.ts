import type { CallTask, Task } from '../../../../../dsl/model/workflowModel.js';
import { isExpression } from '../runtimeExpressions.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';
import { authenticate } from './authentication.js';
import { exchange } from './httpExchange.js';
import type { CallOutputFormat } from './httpExchange.js';
import { runOpenApiCall } from './openApiCall.js';
import { stringValues, withQuery } from './requestParts.js';
import { expandUriTemplate } from './uriTemplate.js';

export function runCall(
  run: TaskRun,
  authorize: (descriptor: unknown) => void,
): Promise<TaskResult> {
  const task = run.task as CallTask;
  switch (task.call) {
    case 'http':
      return runHttpCall(run, authorize);
    case 'openapi':
      return runOpenApiCall(run, authorize);
    default:
      return runFunction(run, task.call);
  }
}

/** `call: http`: endpoint (URI template or expression), headers, query and body evaluated. */
async function runHttpCall(
  run: TaskRun,
  authorize: (descriptor: unknown) => void,
): Promise<TaskResult> {
  const task = run.task as CallTask;
  const at = `${run.position.reference}/with`;
  const raw = task.with ?? {};
  const { expressions } = run.interpreter;
  const variables = run.variables();
  const endpoint = raw.endpoint as string | { uri: string; authentication?: unknown };
  const uri = typeof endpoint === 'string' ? endpoint : endpoint.uri;
  let url = isExpression(uri)
    ? String(expressions.evaluate(uri, run.input, variables, `${at}/endpoint`))
    : expandUriTemplate(uri, run.input, `${at}/endpoint`);
  const query = expressions.evaluateDeep(
    raw.query ?? {},
    run.input,
    variables,
    `${at}/query`,
  ) as Record<string, unknown>;
  url = withQuery(url, query);
  const headers = stringValues(
    expressions.evaluateDeep(raw.headers ?? {}, run.input, variables, `${at}/headers`),
  );
  const body =
    raw.body === undefined
      ? undefined
      : expressions.evaluateDeep(raw.body, run.input, variables, `${at}/body`);
  const policy = typeof endpoint === 'string' ? undefined : endpoint.authentication;
  if (policy !== undefined) {
    const resolved = await authenticate(run, policy, `${at}/endpoint/authentication`);
    headers.authorization = `${resolved.scheme} ${resolved.parameter}`;
    authorize(resolved);
  }
  return exchange(
    run,
    { method: String(raw.method ?? 'get'), url, headers, body },
    (raw.output as CallOutputFormat | undefined) ?? 'content',
    raw.redirect === true,
  );
}

/** A function from `use.functions`: its task runs with the evaluated `with` as input. */
async function runFunction(run: TaskRun, name: string): Promise<TaskResult> {
  const at = run.position.reference;
  if (name.includes('@')) {
    throw standardError(
      'configuration',
      'Unsupported function',
      `catalog functions ('${name}') cannot be run yet`,
      {
        instance: at,
      },
    );
  }
  const fn = run.interpreter.resolveUse<Task>(name, 'functions', `${at}/call`);
  const args = run.interpreter.expressions.evaluateDeep(
    (run.task as CallTask).with ?? {},
    run.input,
    run.variables(),
    `${at}/with`,
  );
  const result = await run.interpreter.runNested(
    [{ [name]: fn }],
    args,
    run.scope,
    run.position,
    { segment: 'call' },
    run.signal,
  );
  return { output: result.output };
}
