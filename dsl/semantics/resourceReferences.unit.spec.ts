import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkResourceReferences } from './resourceReferences.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkResourceReferences(semanticInputOf(parsed.document)).sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
}

const located = (problems: ReturnType<typeof check>) =>
  problems.map(({ code, line, column, path }) => ({ code, line, column, path }));

const resources = `use:
  authentications:
    petStore: {bearer: {token: abc}}
  errors:
    notFound: {type: 'https://e.com/not-found', status: 404}
  retries:
    thrice: {limit: {attempt: {count: 3}}}
  timeouts:
    short: {after: PT5S}
  catalogs:
    global: {endpoint: 'https://github.com/serverlessworkflow/catalog'}
  functions:
    getPet: {call: http, with: {method: get, endpoint: 'https://pets.com/{id}'}}
  extensions:
    - log: {extend: all}
    - wrap: {extend: composite}
`;

describe('checkResourceReferences', () => {
  it('accepts references that resolve, URIs, catalog and default-catalog functions', () => {
    expect(
      check(`${resources}timeout: short
do:
  - a:
      call: http
      timeout: short
      with:
        method: get
        endpoint: {uri: 'https://x.com', authentication: {use: petStore}}
  - b: {call: getPet}
  - c: {call: 'log:0.5.2@global'}
  - d: {call: 'log:1.0.0@default'}
  - e: {call: 'https://github.com/myorg/functions/validateEmailAddress@v1.0.0'}
  - f:
      try:
        - g: {raise: {error: notFound}}
      catch: {retry: thrice}
  - h:
      call: openapi
      with:
        document: {endpoint: 'https://x.com/openapi.json'}
        operationId: op
        authentication: {use: petStore}
`),
    ).toEqual([]);
  });

  it('reports an unknown authentication policy at its use, with the known names', () => {
    const problems = check(`${resources}do:
  - a:
      call: http
      with:
        method: get
        endpoint: {uri: 'https://x.com', authentication: {use: petstore}}
`);
    expect(located(problems)).toEqual([
      {
        code: 'reference-unresolved',
        line: 23,
        column: 64,
        path: '/do/0/a/with/endpoint/authentication/use',
      },
    ]);
    expect(problems[0]?.message).toBe(
      "authentication policy 'petstore' is not defined in use.authentications (did you mean 'petStore'?); defined: 'petStore'",
    );
  });

  it('checks authentication in schema resources, call arguments and catalogs', () => {
    const problems = check(`use:
  catalogs:
    cat: {endpoint: {uri: 'https://c.com', authentication: {use: a1}}}
input:
  schema: {format: json, resource: {endpoint: {uri: 'https://s.com', authentication: {use: a2}}}}
do:
  - g:
      call: grpc
      with:
        proto: {endpoint: 'https://p.com'}
        service: {name: s, host: h, authentication: {use: a3}}
        method: m
`);
    expect(problems.map((p) => [p.path, p.message.split(' is ')[0]])).toEqual([
      ['/use/catalogs/cat/endpoint/authentication/use', "authentication policy 'a1'"],
      ['/input/schema/resource/endpoint/authentication/use', "authentication policy 'a2'"],
      ['/do/0/g/with/service/authentication/use', "authentication policy 'a3'"],
    ]);
    expect(problems[0]?.message).toContain('use.authentications defines none');
  });

  it('reports a call that is neither built in nor a function', () => {
    const problems = check(`${resources}do:
  - a: {call: getPets}
`);
    expect(located(problems)).toEqual([
      { code: 'reference-unresolved', line: 19, column: 15, path: '/do/0/a/call' },
    ]);
    expect(problems[0]?.message).toBe(
      "call: 'getPets' is neither a built-in call (asyncapi, grpc, http, openapi, a2a, mcp) nor a function: function 'getPets' is not defined in use.functions (did you mean 'getPet'?); defined: 'getPet'",
    );
  });

  it('reports a catalog function whose catalog is not defined', () => {
    const problems = check(`do:
  - a: {call: 'log:0.5.2@shared'}
`);
    expect(problems[0]?.message).toContain(
      "catalog 'shared' is not defined in use.catalogs; use.catalogs defines none (call: log:0.5.2@shared; only the runtime's 'default' catalog needs no definition)",
    );
  });

  it('reports unknown errors, retry policies and timeouts', () => {
    const problems = check(`${resources}timeout: long
do:
  - a:
      try:
        - b: {raise: {error: notfound}, timeout: shrt}
      catch: {retry: twice}
`);
    expect(located(problems)).toEqual([
      { code: 'reference-unresolved', line: 18, column: 10, path: '/timeout' },
      { code: 'reference-unresolved', line: 22, column: 30, path: '/do/0/a/try/0/b/raise/error' },
      { code: 'reference-unresolved', line: 22, column: 50, path: '/do/0/a/try/0/b/timeout' },
      { code: 'reference-unresolved', line: 23, column: 22, path: '/do/0/a/catch/retry' },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      "timeout 'long' is not defined in use.timeouts; defined: 'short'",
      "error 'notfound' is not defined in use.errors (did you mean 'notFound'?); defined: 'notFound'",
      "timeout 'shrt' is not defined in use.timeouts (did you mean 'short'?); defined: 'short'",
      "retry policy 'twice' is not defined in use.retries; defined: 'thrice'",
    ]);
  });

  it('checks calls inside functions and extensions too', () => {
    const problems = check(`use:
  functions:
    f: {call: g}
  extensions:
    - e: {extend: call, before: [{x: {call: h}}]}
do:
  - a: {call: f}
`);
    expect(problems.map((p) => p.path)).toEqual([
      '/use/functions/f/call',
      '/use/extensions/0/e/before/0/x/call',
    ]);
  });

  it('reports an extension target that is not a task kind', () => {
    const problems = check(`use:
  extensions:
    - e: {extend: cal}
do:
  - a: {set: {x: 1}}
`);
    expect(located(problems)).toEqual([
      { code: 'reference-unresolved', line: 4, column: 19, path: '/use/extensions/0/e/extend' },
    ]);
    expect(problems[0]?.message).toContain(
      "extension 'e' extends 'cal', which is not a task kind (did you mean 'call'?)",
    );
  });

  it('reports 3,000 calls to undefined functions among 3,000 defined ones', () => {
    // Issue: each problem searched every function name for a hint, and each lookup scanned the
    // list of names: quadratic in the number of tasks.
    const functions = Object.fromEntries(
      Array.from({ length: 3_000 }, (_, i) => [
        `fetch${i}`,
        { call: 'http', with: { method: 'get', endpoint: 'https://x.com' } },
      ]),
    );
    const tasks = Array.from({ length: 3_000 }, (_, i) => ({ [`t${i}`]: { call: `fecth${i}` } }));
    const problems = checkResourceReferences(
      semanticInputOf({
        value: { use: { functions }, do: tasks },
        positionOf: () => ({ line: 1, column: 1 }),
      }),
    );
    expect(problems).toHaveLength(3_000);
    expect(problems[0]?.message).toBe(
      "call: 'fecth0' is neither a built-in call (asyncapi, grpc, http, openapi, a2a, mcp) nor a function: function 'fecth0' is not defined in use.functions (did you mean 'fetch0'?); defined: 'fetch0', 'fetch1', 'fetch2', 'fetch3', 'fetch4', 'fetch5', 'fetch6', 'fetch7', 'fetch8', 'fetch9' and 2990 more",
    );
  });
});
