import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import { checkFlowLoops } from './flowLoops.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

/** A document given as a value, for inputs too large to be worth writing as YAML. */
const unparsed = (value: unknown): ParsedDocument => ({
  value,
  positionOf: () => ({ line: 1, column: 1 }),
});

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

  it('checks a loop of 8,000 tasks that each nest a list, and sees a then: end nested deep', () => {
    // Issue: every loop member scanned every list of the document for a nested end (74 s).
    const chain = (deepEnd: boolean) => ({
      do: Array.from({ length: 8_000 }, (_, i) => {
        const inner =
          deepEnd && i === 4_000
            ? { do: [{ deeper: { do: [{ stop: { set: { x: 1 }, then: 'end' } }] } }] }
            : { wait: 'PT1S' };
        return { [`t${i}`]: { do: [{ s: inner }], ...(i === 7_999 && { then: 't0' }) } };
      }),
    });
    const problems = checkFlowLoops(semanticInputOf(unparsed(chain(false))));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['flow-loop-without-exit', '/do/7999/t7999/then'],
    ]);
    expect(problems[0]?.message).toMatch(/^tasks 't0', 't1', .* and 7990 more form a loop/);
    expect(checkFlowLoops(semanticInputOf(unparsed(chain(true))))).toEqual([]);
  });
});
