import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkUnsupportedFeatures } from './unsupportedFeatures.js';
import type { FeatureSupport } from './unsupportedFeatures.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";
const defaults: FeatureSupport = {
  allowedRunKinds: ['workflow'],
  supportedCallKinds: ['http', 'openapi'],
};

function check(yaml: string, support = defaults) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkUnsupportedFeatures(semanticInputOf(parsed.document), support);
}

const runs = `do:
  - sub: {run: {workflow: {namespace: ns, name: child, version: '1.0.0'}}}
  - sh: {run: {shell: {command: ls}}}
  - box: {run: {container: {image: alpine}}}
  - js: {run: {script: {language: js, code: '1'}}}
`;

describe('checkUnsupportedFeatures', () => {
  it('allows run: workflow and refuses the other processes by default, at their key', () => {
    const problems = check(runs);
    expect(problems.map(({ code, line, column, path }) => ({ code, line, column, path }))).toEqual([
      { code: 'feature-unsupported', line: 4, column: 16, path: '/do/1/sh/run/shell' },
      { code: 'feature-unsupported', line: 5, column: 17, path: '/do/2/box/run/container' },
      { code: 'feature-unsupported', line: 6, column: 16, path: '/do/3/js/run/script' },
    ]);
    expect(problems[0]?.message).toBe(
      "task 'sh': run: shell is disabled on this platform (allowed: workflow); an operator can enable it with AWP_DSL_ALLOW_RUN, for example AWP_DSL_ALLOW_RUN=shell,container,script",
    );
  });

  it('allows what the operator enabled', () => {
    expect(
      check(runs, { ...defaults, allowedRunKinds: ['workflow', 'shell', 'container', 'script'] }),
    ).toEqual([]);
  });

  it('refuses built-in calls the engine does not implement, naming what it does', () => {
    const problems = check(`use:
  functions:
    ask: {call: a2a, with: {method: message/send, server: 'https://agent.example.com'}}
do:
  - g:
      call: grpc
      with: {proto: {endpoint: 'https://x.com/p.proto'}, service: {name: s, host: h}, method: m}
  - h: {call: http, with: {method: get, endpoint: 'https://x.com'}}
  - f: {call: ask}
`);
    expect(problems.map(({ line, column, path }) => ({ line, column, path }))).toEqual([
      { line: 7, column: 13, path: '/do/0/g/call' },
      { line: 4, column: 17, path: '/use/functions/ask/call' },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      "task 'g': call: grpc is not supported by this platform's engine, which runs call: http and openapi and calls to functions in use.functions",
      "function 'ask': call: a2a is not supported by this platform's engine, which runs call: http and openapi and calls to functions in use.functions",
    ]);
  });

  it('refuses an expression language other than jq', () => {
    const problems = check(`evaluate: {language: javascript, mode: strict}
do: [{a: {set: {x: 1}}}]
`);
    expect(problems).toEqual([
      {
        severity: 'error',
        code: 'feature-unsupported',
        message:
          "evaluate.language: 'javascript' is not supported; this platform evaluates runtime expressions with jq only",
        path: '/evaluate/language',
        line: 2,
        column: 22,
      },
    ]);
    expect(check(`evaluate: {language: jq}\ndo: [{a: {set: {x: 1}}}]\n`)).toEqual([]);
  });
});
