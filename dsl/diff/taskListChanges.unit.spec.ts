import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { diffWorkflows } from './diffWorkflows.js';
import type { WorkflowDiff } from './diffWorkflows.js';

const header = 'document: {dsl: 1.0.0, namespace: orders, name: intake, version: 1.0.0}\n';

/** A workflow from YAML; `tasks` is the body of the top-level `do`. */
function workflow(tasks: string, extra = ''): WorkflowDefinition {
  const result = parseWorkflowText(`${header}${extra}do:\n${tasks}`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document.value as WorkflowDefinition;
}

/** The changes without their sentences, for exact comparisons. */
const summary = (diff: WorkflowDiff) =>
  diff.changes.map(({ kind, path, task, compatibility }) => ({ kind, path, task, compatibility }));

const orderIntake = `
  - checkStock: {call: http, with: {method: get, endpoint: 'https://stock.example.com'}}
  - reserveStock: {call: http, with: {method: post, endpoint: 'https://stock.example.com/r'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
`;

describe('diffWorkflows on task lists', () => {
  it('finds nothing between identical documents, whatever their key order', () => {
    const reordered = workflow(`
  - checkStock: {with: {endpoint: 'https://stock.example.com', method: get}, call: http}
  - reserveStock: {call: http, with: {method: post, endpoint: 'https://stock.example.com/r'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
`);
    expect(diffWorkflows(workflow(orderIntake), workflow(orderIntake))).toEqual({
      changes: [],
      breaking: false,
    });
    expect(diffWorkflows(workflow(orderIntake), reordered).changes).toEqual([]);
  });

  it('reports a task inserted in the middle as exactly one compatible change', () => {
    const after = workflow(`
  - checkStock: {call: http, with: {method: get, endpoint: 'https://stock.example.com'}}
  - logAttempt: {set: {attempted: true}}
  - reserveStock: {call: http, with: {method: post, endpoint: 'https://stock.example.com/r'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
`);
    const diff = diffWorkflows(workflow(orderIntake), after);
    expect(summary(diff)).toEqual([
      {
        kind: 'task-added',
        path: '/do/1/logAttempt',
        task: 'logAttempt',
        compatibility: 'compatible',
      },
    ]);
    expect(diff.breaking).toBe(false);
    expect(diff.changes[0]?.reason).toMatch(/will run it.*no execution loses its place/);
  });

  it('reports a removed task as breaking, at its place in the old version', () => {
    const after = workflow(`
  - checkStock: {call: http, with: {method: get, endpoint: 'https://stock.example.com'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
`);
    const diff = diffWorkflows(workflow(orderIntake), after);
    expect(summary(diff)).toEqual([
      {
        kind: 'task-removed',
        path: '/do/1/reserveStock',
        task: 'reserveStock',
        compatibility: 'breaking',
      },
    ]);
    expect(diff.breaking).toBe(true);
    expect(diff.changes[0]?.reason).toBe(
      "task 'reserveStock' was removed: executions paused in it (awaiting its call or a retry of it) cannot resume, nor can those whose last checkpoint is this task",
    );
  });

  it('explains that even an instant task strands executions checkpointed at it', () => {
    const before = workflow('  - a: {set: {x: 1}}\n  - b: {set: {y: 2}}\n');
    const diff = diffWorkflows(before, workflow('  - a: {set: {x: 1}}\n'));
    expect(diff.changes[0]?.reason).toBe(
      "task 'b' was removed: executions whose last checkpoint is this task (the engine checkpoints after every task) cannot resume",
    );
  });

  it('reports a removed block once, counting the tasks inside it', () => {
    const before = workflow(`
  - handle:
      try:
        - reserve: {call: http, with: {method: post, endpoint: 'https://x.example.com'}}
        - confirm: {wait: PT1M}
      catch:
        do:
          - notify: {set: {failed: true}}
  - done: {set: {ok: true}}
`);
    const diff = diffWorkflows(before, workflow('  - done: {set: {ok: true}}\n'));
    expect(summary(diff)).toEqual([
      { kind: 'task-removed', path: '/do/0/handle', task: 'handle', compatibility: 'breaking' },
    ]);
    expect(diff.changes[0]?.reason).toMatch(
      /with the 3 tasks inside it: executions paused in it \(inside its try or catch block\)/,
    );
  });

  it('reports a task renamed with an identical body as one breaking rename', () => {
    const after = workflow(orderIntake.replace('reserveStock', 'reserveItems'));
    const diff = diffWorkflows(workflow(orderIntake), after);
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'task-renamed',
        path: '/do/1/reserveStock',
        task: 'reserveStock',
        compatibility: 'breaking',
        before: '/do/1/reserveStock',
        after: '/do/1/reserveItems',
      }),
    ]);
    expect(diff.changes[0]?.reason).toMatch(
      /renamed to 'reserveItems': the engine finds a task by name/,
    );
  });

  it('reads a task renamed and edited at once as removed plus added', () => {
    const after = workflow(
      orderIntake.replace('reserveStock', 'reserveItems').replace('/r', '/reserve'),
    );
    expect(summary(diffWorkflows(workflow(orderIntake), after))).toEqual([
      {
        kind: 'task-removed',
        path: '/do/1/reserveStock',
        task: 'reserveStock',
        compatibility: 'breaking',
      },
      {
        kind: 'task-added',
        path: '/do/1/reserveItems',
        task: 'reserveItems',
        compatibility: 'compatible',
      },
    ]);
  });

  it('renames a block without reporting the tasks that follow it', () => {
    const block = (name: string) => `
  - ${name}:
      for: {each: item, in: '\${ .items }'}
      do:
        - check: {call: http, with: {method: get, endpoint: 'https://x.example.com'}}
`;
    const diff = diffWorkflows(workflow(block('eachItem')), workflow(block('checkEachItem')));
    expect(summary(diff)).toEqual([
      { kind: 'task-renamed', path: '/do/0/eachItem', task: 'eachItem', compatibility: 'breaking' },
    ]);
  });

  it('names nested tasks by their qualified names inside try, catch, for and fork', () => {
    const shape = (endpoint: string) => `
  - handle:
      try:
        - reserve: {call: http, with: {method: post, endpoint: '${endpoint}'}}
      catch:
        do:
          - notify: {call: http, with: {method: post, endpoint: '${endpoint}'}}
  - eachItem:
      for: {in: '\${ .items }'}
      do:
        - check: {call: http, with: {method: get, endpoint: '${endpoint}'}}
  - race:
      fork:
        compete: true
        branches:
          - viaA: {call: http, with: {method: get, endpoint: '${endpoint}'}}
`;
    const diff = diffWorkflows(
      workflow(shape('https://a.example.com')),
      workflow(shape('https://b.example.com')),
    );
    expect(summary(diff)).toEqual([
      {
        kind: 'task-changed',
        path: '/do/0/handle/catch/do/0/notify',
        task: 'handle/catch/do/notify',
        compatibility: 'compatible',
      },
      {
        kind: 'task-changed',
        path: '/do/0/handle/try/0/reserve',
        task: 'handle/try/reserve',
        compatibility: 'compatible',
      },
      {
        kind: 'task-changed',
        path: '/do/1/eachItem/do/0/check',
        task: 'eachItem/do/check',
        compatibility: 'compatible',
      },
      {
        kind: 'task-changed',
        path: '/do/2/race/fork/branches/0/viaA',
        task: 'race/fork/branches/viaA',
        compatibility: 'compatible',
      },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/changed \(with\.endpoint\)/);
  });

  it('reports an insertion inside a try block as one change', () => {
    const before = workflow(`
  - handle:
      try:
        - reserve: {call: http, with: {method: post, endpoint: 'https://x.example.com'}}
        - confirm: {set: {ok: true}}
      catch: {errors: {with: {status: 503}}}
`);
    const after = workflow(`
  - handle:
      try:
        - reserve: {call: http, with: {method: post, endpoint: 'https://x.example.com'}}
        - audit: {set: {audited: true}}
        - confirm: {set: {ok: true}}
      catch: {errors: {with: {status: 503}}}
`);
    expect(summary(diffWorkflows(before, after))).toEqual([
      {
        kind: 'task-added',
        path: '/do/0/handle/try/1/audit',
        task: 'handle/try/audit',
        compatibility: 'compatible',
      },
    ]);
  });

  it('reports a change of kind as breaking', () => {
    const diff = diffWorkflows(
      workflow('  - pause: {wait: PT1H}\n'),
      workflow("  - pause: {call: http, with: {method: get, endpoint: 'https://x.example.com'}}\n"),
    );
    expect(summary(diff)).toEqual([
      { kind: 'task-kind-changed', path: '/do/0/pause', task: 'pause', compatibility: 'breaking' },
    ]);
    expect(diff.changes[0]).toMatchObject({ before: 'wait', after: 'call' });
    expect(diff.changes[0]?.reason).toMatch(/waiting on its timer.*cannot continue/);
  });

  it('reports a swap of two tasks as one breaking move', () => {
    const after = workflow(`
  - checkStock: {call: http, with: {method: get, endpoint: 'https://stock.example.com'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
  - reserveStock: {call: http, with: {method: post, endpoint: 'https://stock.example.com/r'}}
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
`);
    const diff = diffWorkflows(workflow(orderIntake), after);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ kind: 'task-moved', compatibility: 'breaking' });
    expect(diff.changes[0]?.reason).toMatch(/skip it or run tasks a second time/);
  });

  it('moves one task across many as one move, not one per task it jumped over', () => {
    const after = workflow(`
  - ship: {call: http, with: {method: post, endpoint: 'https://ship.example.com'}}
  - checkStock: {call: http, with: {method: get, endpoint: 'https://stock.example.com'}}
  - reserveStock: {call: http, with: {method: post, endpoint: 'https://stock.example.com/r'}}
  - waitForPayment: {listen: {to: {one: {with: {type: payment.received}}}}}
`);
    expect(summary(diffWorkflows(workflow(orderIntake), after))).toEqual([
      { kind: 'task-moved', path: '/do/0/ship', task: 'ship', compatibility: 'breaking' },
    ]);
  });

  it('reports a task wrapped in a new try as moved (breaking) and the wrapper as added', () => {
    const before = workflow(
      "  - reserve: {call: http, with: {method: post, endpoint: 'https://x.example.com'}}\n",
    );
    const after = workflow(`
  - guarded:
      try:
        - reserve: {call: http, with: {method: post, endpoint: 'https://x.example.com'}}
      catch: {retry: {limit: {attempt: {count: 3}}}}
`);
    const diff = diffWorkflows(before, after);
    expect(summary(diff)).toEqual([
      {
        kind: 'task-moved',
        path: '/do/0/guarded/try/0/reserve',
        task: 'guarded/try/reserve',
        compatibility: 'breaking',
      },
      { kind: 'task-added', path: '/do/0/guarded', task: 'guarded', compatibility: 'compatible' },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/moved from the top-level do to 'guarded\/try'/);
  });

  it('follows the tasks of a moved block and reports their edits under the new names', () => {
    const before = workflow(`
  - handle:
      try:
        - reserve: {call: http, with: {method: post, endpoint: 'https://a.example.com'}}
      catch: {as: error}
`);
    const after = workflow(`
  - outer:
      do:
        - handle:
            try:
              - reserve: {call: http, with: {method: post, endpoint: 'https://b.example.com'}}
            catch: {as: error}
`);
    expect(summary(diffWorkflows(before, after))).toEqual([
      {
        kind: 'task-moved',
        path: '/do/0/outer/do/0/handle',
        task: 'outer/do/handle',
        compatibility: 'breaking',
      },
      { kind: 'task-added', path: '/do/0/outer', task: 'outer', compatibility: 'compatible' },
      {
        kind: 'task-changed',
        path: '/do/0/outer/do/0/handle/try/0/reserve',
        task: 'outer/do/handle/try/reserve',
        compatibility: 'compatible',
      },
    ]);
  });
  it('does not hand a nested task to a removed namesake elsewhere', () => {
    const before = workflow(`
  - notify: {call: http, with: {method: post, endpoint: 'https://c.example.com'}}
  - handle:
      try:
        - notify: {call: http, with: {method: post, endpoint: 'https://a.example.com'}}
      catch: {as: error}
`);
    const after = workflow(`
  - outer:
      do:
        - handle:
            try:
              - notify: {call: http, with: {method: post, endpoint: 'https://b.example.com'}}
            catch: {as: failure}
`);
    expect(summary(diffWorkflows(before, after))).toEqual([
      { kind: 'task-removed', path: '/do/0/notify', task: 'notify', compatibility: 'breaking' },
      {
        kind: 'task-moved',
        path: '/do/0/outer/do/0/handle',
        task: 'outer/do/handle',
        compatibility: 'breaking',
      },
      { kind: 'task-added', path: '/do/0/outer', task: 'outer', compatibility: 'compatible' },
      {
        kind: 'task-changed',
        path: '/do/0/outer/do/0/handle',
        task: 'outer/do/handle',
        compatibility: 'compatible',
      },
      {
        kind: 'task-changed',
        path: '/do/0/outer/do/0/handle/try/0/notify',
        task: 'outer/do/handle/try/notify',
        compatibility: 'compatible',
      },
    ]);
  });
});

describe('diffWorkflows on fork branches', () => {
  const fork = (compete: boolean, branches: string[]) =>
    workflow(`
  - race:
      fork:
        compete: ${compete}
        branches:
${branches.map((name) => `          - ${name}: {call: http, with: {method: get, endpoint: 'https://${name}.example.com'}}`).join('\n')}
`);

  it('lets competing branches be reordered: only the winner counts', () => {
    const diff = diffWorkflows(fork(true, ['a', 'b', 'c']), fork(true, ['c', 'a', 'b']));
    expect(summary(diff)).toEqual([
      {
        kind: 'task-moved',
        path: '/do/0/race/fork/branches/0/c',
        task: 'race/fork/branches/c',
        compatibility: 'compatible',
      },
    ]);
  });

  it('breaks readers of a non-competing fork when its branches are reordered', () => {
    const diff = diffWorkflows(fork(false, ['a', 'b']), fork(false, ['b', 'a']));
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ kind: 'task-moved', compatibility: 'breaking' });
    expect(diff.changes[0]?.reason).toMatch(/array in branch order/);
  });

  it('breaks positional readers when a branch is inserted before others, not when appended', () => {
    expect(summary(diffWorkflows(fork(false, ['a', 'b']), fork(false, ['a', 'x', 'b'])))).toEqual([
      {
        kind: 'task-added',
        path: '/do/0/race/fork/branches/1/x',
        task: 'race/fork/branches/x',
        compatibility: 'breaking',
      },
    ]);
    expect(summary(diffWorkflows(fork(false, ['a', 'b']), fork(false, ['a', 'b', 'x'])))).toEqual([
      {
        kind: 'task-added',
        path: '/do/0/race/fork/branches/2/x',
        task: 'race/fork/branches/x',
        compatibility: 'compatible',
      },
    ]);
    expect(diffWorkflows(fork(true, ['a', 'b']), fork(true, ['x', 'a', 'b'])).breaking).toBe(false);
  });
});
