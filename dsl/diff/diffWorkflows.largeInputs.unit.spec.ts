import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { diffWorkflows, formatDiff } from './diffWorkflows.js';
import type { WorkflowChange, WorkflowDiff } from './diffWorkflows.js';
import { emittedEventChanges } from './emittedEventChanges.js';
import { indexTasks } from './taskIndex.js';
import { taskListChanges } from './taskListChanges.js';
import { matchTasks } from './taskMatching.js';

/**
 * Regression tests for steps that were quadratic (or overflowed the call stack) on large
 * documents. Each asserts the result on an input the old code took from seconds to minutes on,
 * or threw on; none measures time.
 */

const document = { dsl: '1.0.0', namespace: 'orders', name: 'intake', version: '1.0.0' };

const workflow = (fields: Record<string, unknown>) =>
  ({ document, do: [{ start: { set: { ok: true } } }], ...fields }) as WorkflowDefinition;

const range = <T>(count: number, item: (i: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => item(i));

const countByKind = (diff: WorkflowDiff) => {
  const counts: Record<string, number> = {};
  for (const change of diff.changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  return counts;
};

describe('diffWorkflows on large documents', () => {
  it('compares two enums of 8,000 values each as sets, not value by value', () => {
    const input = (prefix: string) => ({
      schema: {
        format: 'json',
        document: { type: 'string', enum: range(8000, (i) => `${prefix}${i}`) },
      },
    });
    const diff = diffWorkflows(workflow({ input: input('a') }), workflow({ input: input('b') }));
    expect(diff.changes.map((c) => [c.path, c.compatibility, c.reason])).toEqual([
      [
        '/input/schema/document/enum',
        'breaking',
        "the workflow's input schema: the input no longer accepts 'a0', 'a1', 'a2', 'a3', 'a4' and 7995 more; callers sending input the old schema accepted may now be refused",
      ],
      [
        '/input/schema/document/enum',
        'compatible',
        "the workflow's input schema: the input now also accepts 'b0', 'b1', 'b2', 'b3', 'b4' and 7995 more; everything accepted before is still accepted",
      ],
    ]);
  });

  it('compares required lists and type lists of 30,000 names as sets', () => {
    const schema = (required: string[], type: string[]) => ({
      input: { schema: { format: 'json', document: { type, required } } },
    });
    const names = range(30000, (i) => `field${i}`);
    const diff = diffWorkflows(
      workflow(schema(names, names)),
      workflow(schema([...names, 'extra'], [...names, 'object'])),
    );
    expect(diff.changes.map((c) => [c.path, c.reason])).toEqual([
      [
        '/input/schema/document/required',
        "the workflow's input schema: 'extra' is now required; callers sending input the old schema accepted may now be refused",
      ],
      [
        '/input/schema/document/type',
        "the workflow's input schema: the input now accepts type 'object'; everything accepted before is still accepted",
      ],
    ]);
  });

  it('compares a schema nested 120 levels deep without serializing it again at every level', () => {
    const nested = (prefix: string) => {
      let schema: unknown = { type: 'string', enum: range(20_000, (i) => `${prefix}${i}`) };
      for (let level = 0; level < 120; level++) {
        schema = { type: 'object', properties: { inner: schema } };
      }
      return { input: { schema: { format: 'json', document: schema } } };
    };
    const diff = diffWorkflows(workflow(nested('a')), workflow(nested('b')));
    expect(diff.changes.map((c) => c.compatibility)).toEqual(['breaking', 'compatible']);
    expect(diff.changes[0]?.path).toBe(
      `/input/schema/document${'/properties/inner'.repeat(120)}/enum`,
    );
    expect(diff.changes[0]?.reason).toContain(`'${range(120, () => 'inner').join('.')}'`);
  });

  it('finds the changed field of a task nested 240 levels deep, walking it once', () => {
    const nested = (prefix: string) => {
      let body: unknown = range(20_000, (i) => `${prefix}${i}`);
      for (let level = 0; level < 240; level++) body = { inner: body };
      return workflow({ do: [{ a: { call: 'http', with: { method: 'post', body } } }] });
    };
    const diff = diffWorkflows(nested('a'), nested('b'));
    expect(diff.changes).toHaveLength(1);
    // The field is named down to where it changed, cut short like any long value.
    expect(diff.changes[0]?.reason).toMatch(
      /^task 'a' changed \(with\.body(\.inner)+…\): its place/,
    );
  });

  it('counts the task inside each of 8,000 removed blocks without rescanning the others', () => {
    const blocks = range(8000, (i) => `block${i}`).map((name) => ({
      [name]: { do: [{ inner: { wait: 'PT1S' } }] },
    }));
    const diff = diffWorkflows(
      workflow({ do: blocks }),
      workflow({ do: [{ q: { wait: 'PT1S' } }] }),
    );
    const removed = diff.changes.filter((c) => c.kind === 'task-removed');
    expect(removed).toHaveLength(8000);
    expect(removed.every((c) => c.reason.includes('was removed with the 1 task inside it'))).toBe(
      true,
    );
    expect(countByKind(diff)).toEqual({ 'task-removed': 8000, 'task-added': 1 });
  });

  it('finds which of 6,000 removed functions and secrets are still referenced, in one walk', () => {
    const use = {
      functions: Object.fromEntries(
        range(3000, (i) => `get${i}`).map((name) => [name, { call: 'http', with: {} }]),
      ),
      secrets: range(3000, (i) => `key${i}`),
    };
    // Half of them are still used: the function by a call, the secret by an expression.
    const tasks = range(1500, (i) => `t${i}`).map((name, i) => ({
      [name]: { call: `get${i}`, with: { key: `\${ $secrets.key${i} }` } },
    }));
    const diff = diffWorkflows(workflow({ use, do: tasks }), workflow({ do: tasks }));
    const removed = diff.changes.filter((c) => c.kind === 'use-removed');
    const verdicts = (prefix: string) =>
      removed
        .filter((c) => c.path.startsWith(prefix))
        .reduce((counts, c) => ({ ...counts, [c.compatibility]: counts[c.compatibility] + 1 }), {
          breaking: 0,
          compatible: 0,
        });
    expect(verdicts('/use/functions/')).toEqual({ breaking: 1500, compatible: 1500 });
    expect(verdicts('/use/secrets/')).toEqual({ breaking: 1500, compatible: 1500 });
    expect(removed.find((c) => c.path === '/use/functions/get7')?.reason).toBe(
      "function 'get7' was removed but the new version still refers to it (/do/7/t7/call): every execution that reaches the reference faults",
    );
  });

  it('pairs 10,000 namesakes moved under renamed blocks without comparing each with every other', () => {
    const before = range(10_000, (i) => `p${i}`).map((name, i) => ({
      [name]: { do: [{ step: { set: { i } } }] },
    }));
    // Renamed and edited blocks, each holding the step of the block before it.
    const after = range(10_000, (i) => `q${i}`).map((name, i) => ({
      [name]: { do: [{ step: { set: { i: i + 1 } } }], then: 'end' },
    }));
    const diff = diffWorkflows(workflow({ do: before }), workflow({ do: after }));
    expect(countByKind(diff)).toEqual({
      'task-removed': 10_000,
      'task-added': 10_000,
      'task-moved': 10_000,
      'output-shape-changed': 1,
    });
    const moved = (task: string) =>
      diff.changes.find((c) => c.kind === 'task-moved' && c.before === task)?.after;
    expect(moved('/do/1/p1/do/0/step')).toBe('/do/0/q0/do/0/step');
    expect(moved('/do/0/p0/do/0/step')).toBe('/do/9999/q9999/do/0/step');
  });

  // More changes than a call's arguments can hold: `push(...changes)` overflowed the stack. The
  // timeout is a margin for slow machines (building 130,000 changes takes a few seconds).
  // The two below call the step itself: the rest of a diff of 20,000 tasks would dwarf it.
  it('tells each of 20,000 branches added to a fork that it precedes an old one, at once', () => {
    const fork = (branches: unknown[]) => workflow({ do: [{ split: { fork: { branches } } }] });
    const last = { last: { wait: 'PT1S' } };
    const added = range(20_000, (i) => `b${i}`).map((name) => ({ [name]: { wait: 'PT1S' } }));
    const before = indexTasks(fork([last]));
    const after = indexTasks(fork([...added, last]));
    const changes = taskListChanges(before, after, matchTasks(before, after));
    expect(changes).toHaveLength(20_000);
    expect(changes.every((c) => c.compatibility === 'breaking')).toBe(true);
  });

  it('finds the first emitter of each of 20,000 event types once, not by a search per type', () => {
    const emitting = (prefix: string) =>
      indexTasks(
        workflow({
          do: range(20_000, (i) => `t${i}`).map((name, i) => ({
            [name]: { emit: { event: { with: { type: `${prefix}${i}` } } } },
          })),
        }),
      );
    const before = emitting('old.');
    const after = emitting('new.');
    const changes = emittedEventChanges({ before, after }, matchTasks(before, after));
    expect(countByKind({ changes, breaking: true })).toEqual({
      'event-emitted-removed': 20_000,
      'event-emitted-added': 20_000,
    });
    expect(changes.find((c) => c.before === 'old.7')?.path).toBe('/do/7/t7/emit/event/with');
  });

  it('turns a schema with 130,000 required names into as many changes', { timeout: 30_000 }, () => {
    const schema = (required: string[]) => ({ schema: { format: 'json', document: { required } } });
    const task = (required: string[]) => [
      { check: { set: { ok: true }, input: schema(required) } },
    ];
    const diff = diffWorkflows(
      workflow({ do: task(range(130_000, (i) => `f${i}`)) }),
      workflow({ do: task([]) }),
    );
    expect(diff.changes).toHaveLength(130_000);
    expect(diff.breaking).toBe(false);
  });

  it('keeps reasons short when thousands of keys or fields change', () => {
    const mapping = (prefix: string) =>
      Object.fromEntries(range(5000, (i) => `${prefix}${i}`).map((key) => [key, 1]));
    const shaped = (prefix: string) =>
      workflow({ do: [{ a: { set: { x: 1 }, output: { as: mapping(prefix) } } }] });
    const configured = (prefix: string) =>
      workflow({ do: [{ a: { wait: 'PT1S', ...mapping(prefix) } }] });
    const pattern = (text: string) =>
      workflow({ input: { schema: { format: 'json', document: { pattern: text } } } });
    const typed = (type: string) =>
      workflow({ do: [{ a: { emit: { event: { with: { type, source: 'x' } } } } }] });
    const reasons = [
      ...diffWorkflows(shaped('a'), shaped('b')).changes,
      ...diffWorkflows(configured('a'), configured('b')).changes,
      ...diffWorkflows(pattern('x'.repeat(100_000)), pattern('y'.repeat(100_000))).changes,
      ...diffWorkflows(typed('a'.repeat(100_000)), typed('b'.repeat(100_000))).changes,
    ].map((change: WorkflowChange) => change.reason);
    expect(reasons).toHaveLength(5);
    expect(reasons[0]).toMatch(/no longer produces 'a0', 'a1', 'a2', 'a3', 'a4' and 4995 more;/);
    expect(reasons[1]).toMatch(/changed \(a0, a1, a2, a3, a4 and 9995 more\)/);
    for (const reason of reasons) expect(reason.length).toBeLessThan(800);
  });
});

describe('formatDiff on many changes', () => {
  it('prints 200,000 changes (finding the column widths without spreading them)', () => {
    const changes = range(200_000, (i) => ({
      kind: 'task-added' as const,
      path: `/do/${i}/t${i}`,
      compatibility: 'compatible' as const,
      reason: `task 't${i}' was added`,
    }));
    const lines = formatDiff({ changes, breaking: false }).split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[199_999]).toBe(
      "compatible  task-added  /do/199999/t199999  task 't199999' was added",
    );
  });
});
