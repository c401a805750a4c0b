import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkTaskNames } from './taskNames.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkTaskNames(semanticInputOf(parsed.document));
}

describe('checkTaskNames', () => {
  it('accepts distinct names, and the same name in different lists', () => {
    expect(
      check(`do:
  - fetch: {set: {a: 1}}
  - handle:
      do:
        - fetch: {set: {b: 2}}
`),
    ).toEqual([]);
  });

  it('reports the second occurrence at its key, naming the line of the first', () => {
    const problems = check(`do:
  - fetch: {set: {a: 1}}
  - store: {set: {b: 2}}
  - fetch: {set: {c: 3}}
`);
    expect(problems).toMatchObject([
      { severity: 'error', code: 'task-name-duplicate', line: 5, column: 5, path: '/do/2/fetch' },
    ]);
    expect(problems[0]?.message).toContain(
      "task name 'fetch' is already used in this list (line 3)",
    );
  });

  it('checks nested lists, fork branches, catch blocks and extension tasks', () => {
    const problems = check(`use:
  extensions:
    - log:
        extend: all
        before:
          - send: {set: {a: 1}}
          - send: {set: {a: 2}}
do:
  - race:
      fork:
        branches:
          - one: {set: {a: 1}}
          - one: {set: {a: 2}}
  - guard:
      try:
        - call1: {set: {a: 1}}
      catch:
        do:
          - recover: {set: {a: 1}}
          - recover: {set: {a: 2}}
`);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['/do/0/race/fork/branches/1/one', 14],
      ['/do/1/guard/catch/do/1/recover', 21],
      ['/use/extensions/0/log/before/1/send', 8],
    ]);
  });
});
