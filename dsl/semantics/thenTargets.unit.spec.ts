import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkThenTargets } from './thenTargets.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkThenTargets(semanticInputOf(parsed.document));
}

describe('checkThenTargets', () => {
  it('accepts flow keywords and names of tasks in the same list', () => {
    expect(
      check(`do:
  - a: {set: {x: 1}, then: c}
  - b: {set: {x: 1}, then: end}
  - c:
      switch:
        - yes: {when: .ok, then: b}
        - no: {then: exit}
      then: continue
`),
    ).toEqual([]);
  });

  it('reports a missing task target at the then value, with a did-you-mean', () => {
    const problems = check(`do:
  - setRed: {set: {x: 1}, then: setGren}
  - setGreen: {set: {x: 1}}
`);
    expect(problems).toMatchObject([
      {
        severity: 'error',
        code: 'then-target-missing',
        line: 3,
        column: 33,
        path: '/do/0/setRed/then',
      },
    ]);
    expect(problems[0]?.message).toContain(
      "then: 'setGren' is not continue, exit, end or a task of this list (did you mean 'setGreen'?)",
    );
    expect(problems[0]?.message).toContain("tasks here: 'setRed' and 'setGreen'");
  });

  it('reports a switch case whose target is missing', () => {
    const problems = check(`do:
  - route:
      switch:
        - big: {when: .n > 10, then: handleBig}
  - handleSmall: {set: {x: 1}}
`);
    expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ['/do/0/route/switch/0/big/then', 5, 38],
    ]);
  });

  it('explains that then cannot target a task of another list', () => {
    const problems = check(`do:
  - outer:
      do:
        - inner: {set: {x: 1}, then: after}
  - after: {set: {x: 1}}
`);
    expect(problems[0]?.message).toContain(
      "'after' is a task in another list, and then can only target tasks of its own list",
    );
    expect(problems[0]?.line).toBe(5);
  });

  it('leaves the then of a use.functions entry alone', () => {
    expect(
      check(`use:
  functions:
    f: {set: {x: 1}, then: somewhere}
do:
  - a: {call: f}
`),
    ).toEqual([]);
  });
});
