import { describe, expect, it } from 'vitest';
import { endNodeId } from './graphModel.js';
import { flowTasksOf, flowTreeOf, targetOf } from './flowTree.js';

describe('flowTreeOf', () => {
  it('links each list to its owner and gives tasks their pointers, escaped', () => {
    const root = flowTreeOf({
      do: [{ 'a/b': { try: [{ t: { set: {} } }], catch: { do: [{ 'c~d': { set: {} } }] } } }],
    });
    const tasks = flowTasksOf(root);
    expect(tasks.map((task) => [task.id, task.list.role, task.list.owner?.id])).toEqual([
      ['/do/0/a~1b', 'workflow', undefined],
      ['/do/0/a~1b/try/0/t', 'try', '/do/0/a~1b'],
      ['/do/0/a~1b/catch/do/0/c~0d', 'catch', '/do/0/a~1b'],
    ]);
  });

  // Review: lists were grouped by their owner's pointer, and a pointer holds every name above
  // it; V8 hashes a string of more than 16,383 units by its length alone, so 1,000 such owners
  // took seconds to group.
  it('builds the tree of 1,000 composite tasks below a 20,000-character name', () => {
    const count = 1_000;
    const name = 'p'.repeat(20_000);
    const children = Array.from({ length: count }, (_, i) => ({
      [`c${i}`]: { do: [{ leaf: { set: {} } }] },
    }));
    const tasks = flowTasksOf(flowTreeOf({ do: [{ [name]: { do: children } }] }));
    expect(tasks).toHaveLength(1 + 2 * count);
    const last = tasks[2 * count];
    expect(last?.id).toBe(`/do/0/${name}/do/${count - 1}/c${count - 1}/do/0/leaf`);
    expect(last?.list.owner?.id).toBe(`/do/0/${name}/do/${count - 1}/c${count - 1}`);
    expect(
      tasks.filter((task) => task.lists.length === 1 && task.lists[0]?.tasks.length === 1),
    ).toHaveLength(count);
  });

  // A then's target is looked up in a map built once per list (a scan per then was quadratic):
  // it must still tell apart long names that differ only at their end.
  it('finds the task a then names among 200 long names that differ only at their end', () => {
    const prefix = 'n'.repeat(20_000);
    const root = flowTreeOf({
      do: Array.from({ length: 200 }, (_, i) => ({ [`${prefix}${i}`]: { set: {} } })),
    });
    const [first] = root.tasks;
    expect(first && targetOf(first, `${prefix}150`)?.to).toBe(`/do/150/${prefix}150`);
    expect(first && targetOf(first, `${prefix}200`)).toBeUndefined();
    expect(first && targetOf(first, 'end')?.to).toBe(endNodeId);
  });
});
