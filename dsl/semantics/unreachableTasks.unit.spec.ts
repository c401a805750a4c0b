import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkUnreachableTasks } from './unreachableTasks.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkUnreachableTasks(semanticInputOf(parsed.document));
}

const summary = (problems: ReturnType<typeof check>) =>
  problems.map(({ code, line, column, severity }) => ({ code, line, column, severity }));

describe('checkUnreachableTasks', () => {
  it('accepts sequential flow, forward and backward jumps that reach every task', () => {
    expect(
      check(`do:
  - setRed: {set: {x: 1}, then: setGreen}
  - setBlue: {set: {x: 1}, then: end}
  - setGreen: {set: {x: 1}, then: setBlue}
`),
    ).toEqual([]);
  });

  it('warns about a task after then: end, at its name, saying why', () => {
    const problems = check(`do:
  - first: {set: {x: 1}, then: end}
  - second: {set: {x: 1}}
`);
    expect(summary(problems)).toEqual([
      { code: 'task-unreachable', line: 4, column: 5, severity: 'warning' },
    ]);
    expect(problems[0]?.message).toBe(
      "task 'second' can never run: no reachable task continues to it or names it in a then ('first' before it ends with then: end)",
    );
  });

  it('treats a raise as never continuing', () => {
    const problems = check(`do:
  - fail: {raise: {error: {type: 'https://e.com/x', status: 400}}}
  - after: {set: {x: 1}}
`);
    expect(problems.map((p) => p.path)).toEqual(['/do/1/after']);
    expect(problems[0]?.message).toContain("'fail' before it raises an error");
  });

  it('lets a skipped task (if) and a raise with an if continue', () => {
    expect(
      check(`do:
  - maybeFail: {if: .bad, raise: {error: {type: 'https://e.com/x', status: 400}}}
  - maybeJump: {if: .skip, set: {x: 1}, then: end}
  - after: {set: {x: 1}}
`),
    ).toEqual([]);
  });

  it('lets a switch without a default case fall through to its own then', () => {
    expect(
      check(`do:
  - route:
      switch:
        - red: {when: '.color == "red"', then: setRed}
  - next: {set: {x: 1}, then: end}
  - setRed: {set: {x: 1}}
`),
    ).toEqual([]);
  });

  it('knows a switch with a default case never falls through', () => {
    const problems = check(`do:
  - route:
      switch:
        - red: {when: '.color == "red"', then: setRed}
        - other: {then: end}
  - skipped: {set: {x: 1}}
  - setRed: {set: {x: 1}}
`);
    expect(summary(problems)).toEqual([
      { code: 'task-unreachable', line: 7, column: 5, severity: 'warning' },
    ]);
    expect(problems[0]?.message).toContain(
      "every case of the switch 'route' before it goes elsewhere",
    );
  });

  it('checks nested lists on their own, and all fork branches start', () => {
    const problems = check(`do:
  - outer:
      do:
        - a: {set: {x: 1}, then: exit}
        - b: {set: {x: 1}}
  - race:
      fork:
        branches:
          - one: {set: {x: 1}, then: end}
          - two: {set: {x: 1}}
`);
    expect(problems.map((p) => p.path)).toEqual(['/do/0/outer/do/1/b']);
  });

  it('says nothing when a reachable then names no task: where it goes is unknown', () => {
    expect(
      check(`do:
  - a: {set: {x: 1}, then: nowhere}
  - b: {set: {x: 1}}
`),
    ).toEqual([]);
  });
});
