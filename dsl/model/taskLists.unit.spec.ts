import { describe, expect, it } from 'vitest';
import { taskListsOf, tasksOf } from './taskLists.js';

describe('taskListsOf', () => {
  const workflow = {
    do: [
      { a: { set: { x: 1 } } },
      {
        b: {
          try: [{ c: { call: 'http' } }],
          catch: { do: [{ d: { do: [{ e: { wait: 'PT1S' } }] } }] },
        },
      },
      { f: { for: { in: '${ .x }' }, do: [{ g: { set: 'y' } }] } },
      { h: { fork: { branches: [{ i: { set: { z: 1 } } }] } } },
    ],
  };

  it('lists every task list outermost first, in document order, with roles and owners', () => {
    expect(
      taskListsOf(workflow).map((list) => ({
        role: list.role,
        path: list.path.join('/'),
        depth: list.depth,
        owner: list.owner?.name,
        tasks: list.tasks.map((t) => `${t.name}:${t.kind}`),
      })),
    ).toEqual([
      {
        role: 'workflow',
        path: 'do',
        depth: 0,
        owner: undefined,
        tasks: ['a:set', 'b:try', 'f:for', 'h:fork'],
      },
      { role: 'try', path: 'do/1/b/try', depth: 1, owner: 'b', tasks: ['c:call'] },
      { role: 'catch', path: 'do/1/b/catch/do', depth: 1, owner: 'b', tasks: ['d:do'] },
      { role: 'do', path: 'do/1/b/catch/do/0/d/do', depth: 2, owner: 'd', tasks: ['e:wait'] },
      { role: 'for', path: 'do/2/f/do', depth: 1, owner: 'f', tasks: ['g:set'] },
      { role: 'branches', path: 'do/3/h/fork/branches', depth: 1, owner: 'h', tasks: ['i:set'] },
    ]);
  });

  it('skips what is not a task list entry instead of failing', () => {
    const odd = { do: [null, 'x', { a: 1 }, { b: { set: {} }, c: {} }, { d: { wait: 'PT1S' } }] };
    expect(tasksOf(odd).map((t) => t.name)).toEqual(['d']);
    expect(taskListsOf('not a workflow')).toEqual([]);
  });

  it('walks a very large workflow (40,000 tasks in nested lists)', () => {
    const inner = Array.from({ length: 200 }, (_, i) => ({ [`t${i}`]: { set: { i } } }));
    const large = {
      do: Array.from({ length: 200 }, (_, i) => ({ [`g${i}`]: { do: inner } })),
    };
    expect(tasksOf(large)).toHaveLength(200 + 200 * 200);
  });
});
