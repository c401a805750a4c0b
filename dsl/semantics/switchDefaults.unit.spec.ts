import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkSwitchDefaults } from './switchDefaults.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkSwitchDefaults(semanticInputOf(parsed.document));
}

describe('checkSwitchDefaults', () => {
  it('accepts a switch with one default case, or none', () => {
    expect(
      check(`do:
  - route:
      switch:
        - big: {when: .n > 10, then: one}
        - otherwise: {then: two}
  - one: {set: {x: 1}, then: end}
  - two: {set: {x: 2}}
  - check:
      switch:
        - big: {when: .n > 10, then: exit}
`),
    ).toEqual([]);
  });

  it('reports a second default case at its name', () => {
    const problems = check(`do:
  - s:
      switch:
        - a: {then: one}
        - b: {then: two}
  - one: {set: {x: 1}, then: end}
  - two: {set: {x: 2}}
`);
    expect(
      problems.map(({ severity, code, path, line, column }) => ({
        severity,
        code,
        path,
        line,
        column,
      })),
    ).toEqual([
      {
        severity: 'error',
        code: 'switch-default-duplicate',
        path: '/do/0/s/switch/1/b',
        line: 6,
        column: 11,
      },
    ]);
    expect(problems[0]?.message).toBe(
      "switch 's': case 'b' has no when, and neither has case 'a' (line 5); a switch has only one default case, and the first one always matches, so this one can never be chosen",
    );
  });

  it('reports every default after the first, in any task list', () => {
    const problems = check(`do:
  - outer:
      do:
        - s:
            switch:
              - x: {then: exit}
              - y: {when: .ok, then: exit}
              - z: {then: exit}
              - w: {then: exit}
`);
    expect(problems.map((p) => p.path)).toEqual([
      '/do/0/outer/do/0/s/switch/2/z',
      '/do/0/outer/do/0/s/switch/3/w',
    ]);
  });
});
