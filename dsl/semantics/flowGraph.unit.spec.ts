import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { cyclesIn, flowOf, reachableIn } from './flowGraph.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function flowOfWorkflow(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const list = semanticInputOf(parsed.document).index.lists[0];
  if (list === undefined) throw new Error('no list');
  return flowOf(list);
}

describe('flowOf', () => {
  it('connects tasks by continue, then, exit and end', () => {
    const flow = flowOfWorkflow(`do:
  - a: {set: {x: 1}}
  - b: {set: {x: 1}, then: d}
  - c: {set: {x: 1}, then: exit}
  - d: {set: {x: 1}, then: end}
`);
    expect(flow.edges.map((edges) => edges.map((e) => e.to))).toEqual([
      [1],
      [3],
      ['exit'],
      ['end'],
    ]);
    expect(flow.edges[1]?.[0]?.via).toEqual(['do', 1, 'b', 'then']);
    expect(flow.edges[0]?.[0]?.via).toBeUndefined();
    expect([...reachableIn(flow)].sort()).toEqual([0, 1, 3]);
  });

  it('gives switch cases their targets and a switch without default its own then', () => {
    const flow = flowOfWorkflow(`do:
  - s:
      switch:
        - one: {when: .a, then: c}
      then: end
  - b: {set: {x: 1}}
  - c: {set: {x: 1}}
`);
    expect(flow.edges[0]?.map((e) => e.to)).toEqual([2, 'end']);
  });

  it('adds the skip of an if and nothing after a raise', () => {
    const flow = flowOfWorkflow(`do:
  - r: {if: .x, raise: {error: {type: 'https://e.com/x', status: 400}}}
  - s: {raise: {error: {type: 'https://e.com/x', status: 400}}}
`);
    expect(flow.edges).toEqual([[{ to: 1, via: undefined, skip: true }], []]);
  });

  it('remembers directives that name no task', () => {
    const flow = flowOfWorkflow(`do:
  - a: {set: {x: 1}, then: nowhere}
`);
    expect(flow.edges[0]).toEqual([]);
    expect([...flow.unresolved]).toEqual([0]);
  });
});

describe('cyclesIn', () => {
  it('finds strongly connected tasks and self loops, in document order', () => {
    const flow = flowOfWorkflow(`do:
  - a: {set: {x: 1}}
  - b: {set: {x: 1}, then: a}
  - c: {set: {x: 1}, then: c}
  - d: {set: {x: 1}}
`);
    expect(cyclesIn(flow)).toEqual([[0, 1], [2]]);
  });

  it('handles a list of thousands of tasks without recursion', () => {
    const tasks = Array.from({ length: 5000 }, (_, i) => `  - t${i}: {set: {x: 1}}`).join('\n');
    const flow = flowOfWorkflow(`do:\n${tasks}\n  - last: {set: {x: 1}, then: t0}\n`);
    expect(cyclesIn(flow)).toHaveLength(1);
    expect(cyclesIn(flow)[0]).toHaveLength(5001);
  });
});
