import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, task, workflow, workflowOf } from './workflows.js';

/** Data flow (input, output, export, `if`, schemas), flow directives and timeouts. */
let engine: EngineUnderTest;

beforeAll(async () => {
  engine = await startEngineUnderTest();
});

afterAll(async () => {
  await engine?.stop();
});

const objectWith = (property: string, type: string) => ({
  format: 'json',
  document: { type: 'object', required: [property], properties: { [property]: { type } } },
});

describe('input, output and export', () => {
  it('transforms with input.from, output.as and export.as, seeing $input, $output and $context', async () => {
    const result = await engine.run(
      workflow({
        input: { from: '${ .order }' },
        do: [
          task('price', {
            input: { from: '${ { qty: .quantity, unit: .unitPrice } }' },
            set: { total: '${ .qty * .unit }' },
            output: { as: '${ { total: .total, quantityWas: $input.qty } }' },
            export: { as: '${ $context + { priced: $output.total } }' },
          }),
          task('describe', {
            set: {
              fromContext: '${ $context.priced }',
              task: '${ $task.name }',
              execution: '${ $workflow.id }',
              runtime: '${ $runtime.name }',
              total: '${ .total }',
            },
          }),
        ],
        output: { as: '${ . + { exported: $context } }' },
      }),
      { order: { quantity: 3, unitPrice: 4 } },
    );
    expect(result.output).toEqual({
      fromContext: 12,
      task: 'describe',
      execution: result.executionId,
      runtime: 'AWP',
      total: 12,
      exported: { priced: 12 },
    });
  });

  it('records the exported context with the task that exported it', async () => {
    const result = await engine.run(
      workflowOf(task('remember', { set: { id: 'o-1' }, export: { as: '{ orderId: .id }' } })),
      {},
    );
    const [completed] = await engine.eventsOfType<{ contextJson: string | null }>(
      result.executionId,
      'TaskCompleted',
    );
    expect(JSON.parse(completed?.contextJson ?? 'null')).toEqual({ orderId: 'o-1' });
  });

  it('skips a task whose if does not hold, passing its input on unchanged', async () => {
    const text = workflowOf(
      task('discount', { if: '${ .vip }', set: { vip: true, price: '${ .price * 0.5 }' } }),
      task('done', { set: { price: '${ .price }' } }),
    );
    expect((await engine.run(text, { vip: true, price: 10 })).output).toEqual({ price: 5 });
    expect((await engine.run(text, { vip: false, price: 10 })).output).toEqual({ price: 10 });
  });
});

describe('schemas', () => {
  it('faults with a validation error 400 when the workflow input violates its schema', async () => {
    const result = await engine.run(
      workflow({
        input: { schema: objectWith('orderId', 'string') },
        do: [task('noop', { set: { ok: true } })],
      }),
      { orderId: 42 },
    );
    expect(result.error).toMatchObject({
      type: errorType('validation'),
      status: 400,
      instance: '/input/schema',
    });
    expect(result.error?.detail).toContain('/orderId');
  });

  it('faults with a validation error at the task input, output or export schema that is violated', async () => {
    const instances = [];
    for (const [site, extra] of [
      ['input', { input: { schema: objectWith('needed', 'string') } }],
      ['output', { output: { schema: objectWith('count', 'integer') } }],
      ['export', { export: { as: '{ count: "many" }', schema: objectWith('count', 'integer') } }],
    ] as const) {
      const result = await engine.run(
        workflowOf(task(site, { set: { count: 'one' }, ...extra })),
        {},
      );
      expect(result.error).toMatchObject({ type: errorType('validation'), status: 400 });
      instances.push(result.error?.instance);
    }
    expect(instances).toEqual([
      '/do/0/input/input/schema',
      '/do/0/output/output/schema',
      '/do/0/export/export/schema',
    ]);
  });

  it('faults when the workflow output violates its schema', async () => {
    const result = await engine.run(
      workflow({
        output: { schema: objectWith('ok', 'boolean') },
        do: [task('answer', { set: { ok: 'yes' } })],
      }),
      {},
    );
    expect(result.error).toMatchObject({ status: 400, instance: '/output/schema' });
  });
});

describe('flow directives', () => {
  it('jumps with then to a named task, continues, and ends the workflow with end', async () => {
    const result = await engine.run(
      workflowOf(
        task('first', { set: { steps: ['first'] }, then: 'third' }),
        task('second', { set: { steps: '${ .steps + ["second"] }' } }),
        task('third', { set: { steps: '${ .steps + ["third"] }' }, then: 'continue' }),
        task('fourth', { set: { steps: '${ .steps + ["fourth"] }' }, then: 'end' }),
        task('fifth', { set: { steps: '${ .steps + ["fifth"] }' } }),
      ),
      {},
    );
    expect(result.output).toEqual({ steps: ['first', 'third', 'fourth'] });
  });

  it('leaves only the enclosing list with exit, and every list with end', async () => {
    const nested = (directive: string) =>
      workflowOf(
        task('inner', {
          do: [
            task('a', { set: { steps: ['a'] }, then: directive }),
            task('b', { set: { steps: '${ .steps + ["b"] }' } }),
          ],
        }),
        task('after', { set: { steps: '${ .steps + ["after"] }' } }),
      );
    expect((await engine.run(nested('exit'), {})).output).toEqual({ steps: ['a', 'after'] });
    expect((await engine.run(nested('end'), {})).output).toEqual({ steps: ['a'] });
  });

  it('loops back with then until a switch leaves the loop', async () => {
    const result = await engine.run(
      workflowOf(
        task('inc', { set: { n: '${ .n + 1 }' } }),
        task('check', {
          switch: [{ again: { when: '.n < 5', then: 'inc' } }, { done: { then: 'exit' } }],
        }),
      ),
      { n: 0 },
    );
    expect(result.output).toEqual({ n: 5 });
    const completed = await engine.eventsOfType<{ taskKey: string }>(
      result.executionId,
      'TaskCompleted',
    );
    expect(
      completed.filter((t) => t.taskKey.startsWith('/do/0/inc')).map((t) => t.taskKey),
    ).toEqual(['/do/0/inc', '/do/0/inc#1', '/do/0/inc#2', '/do/0/inc#3', '/do/0/inc#4']);
  });
});

describe('timeouts', () => {
  it('faults a task that outlives its timeout with a timeout error 408', async () => {
    const startedAt = Date.now();
    const result = await engine.run(
      workflowOf(task('slow', { wait: 'PT1H', timeout: { after: { milliseconds: 200 } } })),
      {},
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(result.error).toMatchObject({
      type: errorType('timeout'),
      status: 408,
      instance: '/do/0/slow',
    });
  });

  it('faults a workflow that outlives its timeout with a timeout error 408', async () => {
    const result = await engine.run(
      workflow({ timeout: { after: { milliseconds: 300 } }, do: [task('slow', { wait: 'PT1H' })] }),
      {},
    );
    expect(result.error).toMatchObject({
      type: errorType('timeout'),
      status: 408,
      instance: '/timeout',
    });
  });

  it('lets a try catch a task timeout like any other error', async () => {
    const result = await engine.run(
      workflowOf(
        task('guard', {
          try: [task('slow', { wait: 'PT1H', timeout: { after: { milliseconds: 100 } } })],
          catch: {
            errors: { with: { type: errorType('timeout') } },
            do: [task('fallback', { set: { timedOut: true } })],
          },
        }),
      ),
      {},
    );
    expect(result.output).toEqual({ timedOut: true });
  });
});
