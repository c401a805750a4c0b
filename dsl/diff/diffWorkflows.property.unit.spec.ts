import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskListsOf, tasksOf } from '../model/taskLists.js';
import type { JsonPath } from '../model/taskLists.js';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { diffWorkflows } from './diffWorkflows.js';

type Json = Record<string, unknown>;

// Generated names never contain '_', so an inserted `new_task` cannot collide with one.
const name = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);
const eventType = fc.constantFrom('order.placed', 'payment.received', 'stock.low');

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.record({
    set: fc.dictionary(name, fc.oneof(fc.integer(), fc.string(), fc.boolean()), { maxKeys: 3 }),
  }),
  fc.record({ wait: fc.constantFrom('PT1S', 'PT5M', 'PT1H') }),
  fc.record({
    call: fc.constant('http'),
    with: fc.record({
      method: fc.constantFrom('get', 'post'),
      endpoint: fc.constantFrom('https://a.example.com', 'https://b.example.com'),
    }),
  }),
  eventType.map((type) => ({
    emit: { event: { with: { type, source: 'https://x.example.com' } } },
  })),
  eventType.map((type) => ({ listen: { to: { one: { with: { type } } } } })),
  fc.constant({ raise: { error: { type: 'https://x.example.com/err', status: 400 } } }),
);

function taskList(depth: number): fc.Arbitrary<Json[]> {
  return fc
    .uniqueArray(fc.tuple(name, task(depth)), { selector: ([n]) => n, minLength: 1, maxLength: 4 })
    .map((items) => items.map(([n, t]) => ({ [n]: t })));
}

function task(depth: number): fc.Arbitrary<Json> {
  if (depth === 0) return leaf;
  const inner = taskList(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    { arbitrary: inner.map((list) => ({ do: list })), weight: 1 },
    { arbitrary: inner.map((list) => ({ for: { in: '${ .items }' }, do: list })), weight: 1 },
    {
      arbitrary: fc.tuple(inner, fc.boolean()).map(([list, compete]) => ({
        fork: { compete, branches: list },
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(inner, fc.option(inner, { nil: undefined })).map(([list, handler]) => ({
        try: list,
        catch: handler === undefined ? { as: 'error' } : { do: handler },
      })),
      weight: 1,
    },
  );
}

const workflowArbitrary: fc.Arbitrary<WorkflowDefinition> = taskList(3).map(
  (list) =>
    ({
      document: { dsl: '1.0.0', namespace: 'generated', name: 'random', version: '1.0.0' },
      do: list,
    }) as unknown as WorkflowDefinition,
);

/** The list at `path` inside `workflow` (a `catch` without `do` has none). */
function listAt(workflow: unknown, path: JsonPath): unknown[] {
  let node = workflow as Record<string | number, unknown> | undefined;
  for (const segment of path) node = node?.[segment] as Record<string | number, unknown>;
  return Array.isArray(node) ? node : [];
}

/** `handle/try/checkStock` from ['do', 0, 'handle', 'try', 1, 'checkStock']. */
const qualifiedName = (path: JsonPath) =>
  path
    .filter((segment) => typeof segment === 'string')
    .slice(1)
    .join('/');

describe('diffWorkflows (properties)', () => {
  it('finds no change between a workflow and a copy of itself', () => {
    fc.assert(
      fc.property(workflowArbitrary, (workflow) => {
        expect(diffWorkflows(workflow, structuredClone(workflow))).toEqual({
          changes: [],
          breaking: false,
        });
      }),
    );
  });

  it('reports any one removed task as removed and breaking, and nothing as added or moved', () => {
    fc.assert(
      fc.property(workflowArbitrary, fc.nat(), (workflow, pick) => {
        const tasks = tasksOf(workflow);
        const removed = tasks[pick % tasks.length];
        if (removed === undefined) return;
        const after = structuredClone(workflow);
        listAt(after, removed.path.slice(0, -2)).splice(removed.index, 1);
        const diff = diffWorkflows(workflow, after);
        const structural = diff.changes.filter((c) =>
          ['task-removed', 'task-added', 'task-renamed', 'task-moved'].includes(c.kind),
        );
        expect(structural).toEqual([
          expect.objectContaining({
            kind: 'task-removed',
            task: qualifiedName(removed.path),
            compatibility: 'breaking',
          }),
        ]);
        expect(diff.breaking).toBe(true);
      }),
    );
  });

  it('reports a task inserted anywhere outside fork branches as exactly one compatible change', () => {
    fc.assert(
      fc.property(workflowArbitrary, fc.nat(), fc.nat(), (workflow, pickList, pickPlace) => {
        const lists = taskListsOf(workflow).filter(
          (list) => list.role !== 'branches' && list.tasks.length > 0,
        );
        const list = lists[pickList % lists.length];
        if (list === undefined) return;
        const at = pickPlace % (list.tasks.length + 1);
        const after = structuredClone(workflow);
        listAt(after, list.path).splice(at, 0, { new_task: { set: { inserted: true } } });
        const diff = diffWorkflows(workflow, after);
        expect(diff.changes).toEqual([
          expect.objectContaining({
            kind: 'task-added',
            task: qualifiedName([...list.path, at, 'new_task']),
            compatibility: 'compatible',
          }),
        ]);
      }),
    );
  });

  it('reports two neighbours swapped as exactly one move', () => {
    fc.assert(
      fc.property(workflowArbitrary, fc.nat(), (workflow, pick) => {
        const lists = taskListsOf(workflow).filter((list) => list.tasks.length >= 2);
        const list = lists[pick % Math.max(lists.length, 1)];
        if (list === undefined) return;
        const after = structuredClone(workflow);
        const items = listAt(after, list.path);
        const at = pick % (items.length - 1);
        items.splice(at, 2, items[at + 1], items[at]);
        const changes = diffWorkflows(workflow, after).changes;
        expect(changes).toHaveLength(1);
        expect(changes[0]?.kind).toBe('task-moved');
      }),
    );
  });
});
