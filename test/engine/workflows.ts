/**
 * Builders for the engine suites: workflow documents as JSON text (valid YAML, and no quoting
 * trouble with `${ … }`), each with a name of its own so that documents never replace each other
 * in the catalog.
 */

let documents = 0;

export type Json = Record<string, unknown>;

/** A task list entry: `{ name: task }`. */
export function task(name: string, definition: Json): Json {
  return { [name]: definition };
}

/** A workflow document around `body` (`do`, `use`, `input`, `timeout`, …). */
export function workflow(body: Json, name?: string, version = '1.0.0'): string {
  documents += 1;
  return JSON.stringify({
    document: {
      dsl: '1.0.0',
      namespace: 'engine-tests',
      name: name ?? `wf-${documents}`,
      version,
    },
    ...body,
  });
}

/** A workflow whose `do` is the given tasks, in order. */
export function workflowOf(...tasks: Json[]): string {
  return workflow({ do: tasks });
}

/** `call: http` with the given `with` (endpoint, method, output, …). */
export function httpCall(settings: Json, extra: Json = {}): Json {
  return { call: 'http', with: { method: 'get', ...settings }, ...extra };
}

export const errorType = (kind: string) =>
  `https://serverlessworkflow.io/spec/1.0.0/errors/${kind}`;
