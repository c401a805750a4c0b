import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkFlowLoops } from './flowLoops.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkFlowLoops(semanticInputOf(parsed.document));
}

describe('checkFlowLoops', () => {
  it('warns about a loop nothing can leave, at the then that jumps back', () => {
    const problems = check(`do:
  - poll: {call: http, with: {method: get, endpoint: 'https://x.com'}}
  - pause: {wait: PT5S, then: poll}
`);
    expect(
      problems.map(({ code, severity, line, column, path }) => ({
        code,
        severity,
        line,
        column,
        path,
      })),
    ).toEqual([
      {
        code: 'flow-loop-without-exit',
        severity: 'warning',
        line: 4,
        column: 31,
        path: '/do/1/pause/then',
      },
    ]);
    expect(problems[0]?.message).toBe(
      "tasks 'poll' and 'pause' form a loop through then that nothing leaves: no task in it has an if, raises an error, ends the workflow or jumps out, so it runs until a task fails",
    );
  });

  it('warns about a task that jumps to itself', () => {
    const problems = check(`do:
  - spin: {set: {x: 1}, then: spin}
`);
    expect(problems[0]?.message).toMatch(/^task 'spin' repeats itself/);
    expect(problems[0]?.line).toBe(3);
  });

  it('accepts a loop with an if on one of its tasks', () => {
    expect(
      check(`do:
  - poll: {set: {x: 1}}
  - again: {if: .more, set: {x: 1}, then: poll}
`),
    ).toEqual([]);
  });

  it('accepts a loop a switch case leaves', () => {
    expect(
      check(`do:
  - poll: {set: {x: 1}}
  - check:
      switch:
        - done: {when: .done, then: exit}
        - more: {then: poll}
`),
    ).toEqual([]);
  });

  it('accepts a loop that raises, or that nests a then: end', () => {
    expect(
      check(`do:
  - poll: {set: {x: 1}}
  - check:
      do:
        - stop: {set: {x: 1}, then: end}
      then: poll
`),
    ).toEqual([]);
    expect(
      check(`do:
  - poll: {set: {x: 1}}
  - check:
      try:
        - bad: {raise: {error: {type: 'https://e.com/x', status: 500}}}
      catch: {as: e}
      then: poll
`),
    ).toEqual([]);
  });

  it('warns when a switch only loops back', () => {
    const problems = check(`do:
  - poll: {set: {x: 1}}
  - check:
      switch:
        - again: {when: .more, then: poll}
        - otherwise: {then: poll}
`);
    expect(problems.map((p) => p.path)).toEqual(['/do/1/check/switch/0/again/then']);
  });

  it('finds loops in nested lists', () => {
    const problems = check(`do:
  - outer:
      do:
        - a: {set: {x: 1}}
        - b: {set: {x: 1}, then: a}
`);
    expect(problems.map((p) => p.path)).toEqual(['/do/0/outer/do/1/b/then']);
  });
});
