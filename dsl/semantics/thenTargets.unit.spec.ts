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

  it('reports 5,000 missing targets of one list, hinting the first', () => {
    // Issue: each problem searched all 5,000 names for a hint (45 s).
    const tasks = Array.from({ length: 5_000 }, (_, i) => `  - t${i}: {wait: PT1S, then: q${i}}\n`);
    const problems = check(`do:\n${tasks.join('')}`);
    expect(problems).toHaveLength(5_000);
    expect(problems[0]?.message).toBe(
      "then: 'q0' is not continue, exit, end or a task of this list (did you mean 't0'?) (tasks here: 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9' and 4990 more)",
    );
    expect(problems[4_999]?.path).toBe('/do/4999/t4999/then');
  });

  it('quotes names of 40,000 characters cut, and suggests nothing for them', () => {
    // Issue: the hint built a table of 40,000 × 40,000 cells and the process ran out of memory.
    const a = 'a'.repeat(40_000);
    const b = 'b'.repeat(40_000);
    const problems = check(`do:\n  - ${a}: {set: {x: 1}}\n  - s: {set: {y: 1}, then: ${b}}\n`);
    expect(problems.map((p) => p.message)).toEqual([
      `then: '${'b'.repeat(61)}...' is not continue, exit, end or a task of this list (tasks here: '${'a'.repeat(37)}...' and 's')`,
    ]);
  });

  it('keeps messages short when a list of long names has many problems', () => {
    // Issue: 2,000 problems each quoted the list's ten 20,000-character names whole (400 MB).
    const long = Array.from(
      { length: 10 },
      (_, i) => `  - ${String.fromCharCode(97 + i).repeat(20_000)}: {wait: PT1S}\n`,
    );
    const broken = Array.from({ length: 2_000 }, (_, i) => `  - t${i}: {wait: PT1S, then: q}\n`);
    const problems = check(`do:\n${long.join('')}${broken.join('')}`);
    expect(problems).toHaveLength(2_000);
    expect(Math.max(...problems.map((p) => p.message.length))).toBeLessThan(600);
  });
});
