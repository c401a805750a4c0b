import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { diffWorkflows } from './diffWorkflows.js';
import type { WorkflowDiff } from './diffWorkflows.js';

const header = 'document: {dsl: 1.0.0, namespace: orders, name: intake, version: 1.0.0}\n';

function workflow(tasks: string, extra = ''): WorkflowDefinition {
  const result = parseWorkflowText(`${header}${extra}do:\n${tasks}`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document.value as WorkflowDefinition;
}

const summary = (diff: WorkflowDiff) =>
  diff.changes.map(({ kind, path, compatibility }) => ({ kind, path, compatibility }));

const emit = (name: string, properties: string) =>
  `  - ${name}: {emit: {event: {with: {${properties}}}}}\n`;
const listen = (name: string, to: string) => `  - ${name}: {listen: {to: ${to}}}\n`;

describe('emitted events', () => {
  const placed = emit(
    'announce',
    "type: order.placed, source: 'https://orders.example.com', data: {id: '${ .id }', total: '${ .total }'}",
  );

  it('reports a newly emitted type as compatible', () => {
    const diff = diffWorkflows(
      workflow(placed),
      workflow(placed + emit('tell', 'type: order.noted, source: x')),
    );
    expect(summary(diff)).toEqual([
      { kind: 'task-added', path: '/do/1/tell', compatibility: 'compatible' },
      {
        kind: 'event-emitted-added',
        path: '/do/1/tell/emit/event/with',
        compatibility: 'compatible',
      },
    ]);
  });

  it('reports a type no longer emitted as breaking for its consumers', () => {
    const diff = diffWorkflows(
      workflow(placed + emit('tell', 'type: order.noted, source: x')),
      workflow(placed),
    );
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        kind: 'event-emitted-removed',
        path: '/do/1/tell/emit/event/with',
        compatibility: 'breaking',
        before: 'order.noted',
      }),
    );
    expect(diff.changes.find((c) => c.kind === 'event-emitted-removed')?.reason).toMatch(
      /consumers subscribed to them stop receiving them/,
    );
  });

  it('reports a changed event type of the same task as removed and added', () => {
    const diff = diffWorkflows(
      workflow(placed),
      workflow(placed.replace('order.placed', 'order.created')),
    );
    expect(summary(diff)).toEqual([
      {
        kind: 'event-emitted-removed',
        path: '/do/0/announce/emit/event/with',
        compatibility: 'breaking',
      },
      {
        kind: 'event-emitted-added',
        path: '/do/0/announce/emit/event/with',
        compatibility: 'compatible',
      },
    ]);
  });

  it('breaks consumers that route on a changed source', () => {
    const diff = diffWorkflows(
      workflow(placed),
      workflow(placed.replace('orders.example.com', 'shop.example.com')),
    );
    expect(summary(diff)).toEqual([
      {
        kind: 'event-emitted-changed',
        path: '/do/0/announce/emit/event/with/source',
        compatibility: 'breaking',
      },
    ]);
  });

  it('classifies the data by its keys', () => {
    const dropped = diffWorkflows(
      workflow(placed),
      workflow(placed.replace(", total: '${ .total }'", '')),
    );
    expect(summary(dropped)).toEqual([
      {
        kind: 'event-emitted-changed',
        path: '/do/0/announce/emit/event/with/data',
        compatibility: 'breaking',
      },
    ]);
    expect(dropped.changes[0]?.reason).toMatch(
      /no longer produces 'total'; their consumers read it/,
    );
    const added = diffWorkflows(
      workflow(placed),
      workflow(placed.replace('data: {', 'data: {currency: EUR, ')),
    );
    expect(added.breaking).toBe(false);
  });
});

describe('consumed events', () => {
  const payment = listen('waitForPayment', '{one: {with: {type: payment.received}}}');
  const ship = '  - ship: {set: {shipped: true}}\n';

  it('reports a listen task for a new type as a compatible addition', () => {
    const diff = diffWorkflows(workflow(ship), workflow(payment + ship));
    expect(summary(diff)).toEqual([
      { kind: 'task-added', path: '/do/0/waitForPayment', compatibility: 'compatible' },
      {
        kind: 'event-consumed-added',
        path: '/do/0/waitForPayment/listen/to/one',
        compatibility: 'compatible',
      },
    ]);
    expect(diff.changes[1]?.reason).toMatch(/some producer must send them/);
  });

  it('reports a type no longer consumed as breaking for its producers', () => {
    const diff = diffWorkflows(workflow(payment + ship), workflow(ship));
    expect(summary(diff)).toEqual([
      { kind: 'task-removed', path: '/do/0/waitForPayment', compatibility: 'breaking' },
      {
        kind: 'event-consumed-removed',
        path: '/do/0/waitForPayment/listen/to/one',
        compatibility: 'breaking',
      },
    ]);
    expect(diff.changes[1]?.reason).toMatch(/producers sending them are now silently ignored/);
  });

  it('breaks on a filter narrowed by a new attribute and accepts one widened', () => {
    const narrower = listen(
      'waitForPayment',
      '{one: {with: {type: payment.received, source: bank}}}',
    );
    const narrowed = diffWorkflows(workflow(payment), workflow(narrower));
    expect(summary(narrowed)).toEqual([
      {
        kind: 'event-filter-changed',
        path: '/do/0/waitForPayment/listen/to/one/with/source',
        compatibility: 'breaking',
      },
    ]);
    expect(narrowed.changes[0]?.reason).toMatch(/now also requires attribute 'source'/);
    expect(diffWorkflows(workflow(narrower), workflow(payment)).changes).toEqual([
      expect.objectContaining({ kind: 'event-filter-changed', compatibility: 'compatible' }),
    ]);
  });

  it('cannot compare a changed attribute expression, and says so', () => {
    const hot = (limit: number) =>
      listen(
        'watch',
        `{any: [{with: {type: vitals.temperature, data: '\${ .temperature > ${limit} }'}}]}`,
      );
    const diff = diffWorkflows(workflow(hot(38)), workflow(hot(39)));
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'event-filter-changed',
        compatibility: 'breaking',
        path: '/do/0/watch/listen/to/any/0/with/data',
      }),
    ]);
    expect(diff.changes[0]?.reason).toMatch(/cannot compare regular or runtime expressions/);
  });

  it('breaks when a correlation is added', () => {
    const correlated = listen(
      'waitForPayment',
      "{one: {with: {type: payment.received}, correlate: {order: {from: '${ .orderId }'}}}}",
    );
    expect(diffWorkflows(workflow(payment), workflow(correlated)).changes).toEqual([
      expect.objectContaining({
        kind: 'event-filter-changed',
        compatibility: 'breaking',
        path: '/do/0/waitForPayment/listen/to/one/correlate/order',
      }),
    ]);
  });

  const both = (mode: 'all' | 'any', types: string[]) =>
    listen('waitForBoth', `{${mode}: [${types.map((t) => `{with: {type: ${t}}}`).join(', ')}]}`);

  it('breaks when any turns into all, and accepts all turning into any', () => {
    const toAll = diffWorkflows(
      workflow(both('any', ['a', 'b'])),
      workflow(both('all', ['a', 'b'])),
    );
    expect(summary(toAll)).toEqual([
      {
        kind: 'event-filter-changed',
        path: '/do/0/waitForBoth/listen/to',
        compatibility: 'breaking',
      },
    ]);
    const toAny = diffWorkflows(
      workflow(both('all', ['a', 'b'])),
      workflow(both('any', ['a', 'b'])),
    );
    expect(toAny.breaking).toBe(false);
  });

  it('classifies an event added or removed at a listen task by what the task waits for', () => {
    const diffOf = (b: string, a: string) => summary(diffWorkflows(workflow(b), workflow(a)));
    // all: one more event to wait for narrows; one fewer widens.
    expect(
      diffOf(
        both('all', ['a', 'b']) + listen('later', '{one: {with: {type: c}}}'),
        both('all', ['a', 'b', 'c']) + listen('later', '{one: {with: {type: c}}}'),
      ),
    ).toEqual([
      {
        kind: 'event-consumed-added',
        path: '/do/0/waitForBoth/listen/to/all/2',
        compatibility: 'breaking',
      },
    ]);
    // any: one more accepted event widens; one fewer narrows.
    expect(diffOf(both('any', ['a']), both('any', ['a', 'b']))).toEqual([
      {
        kind: 'event-consumed-added',
        path: '/do/0/waitForBoth/listen/to/any/1',
        compatibility: 'compatible',
      },
    ]);
    expect(diffOf(both('any', ['a', 'b']), both('any', ['a']))).toEqual([
      {
        kind: 'event-consumed-removed',
        path: '/do/0/waitForBoth/listen/to/any/1',
        compatibility: 'breaking',
      },
    ]);
  });

  it('treats schedule.on as events that start the workflow', () => {
    const on = (types: string[]) =>
      `schedule:\n  on: {any: [${types.map((t) => `{with: {type: ${t}}}`).join(', ')}]}\n`;
    const removed = diffWorkflows(
      workflow(ship, on(['order.placed', 'order.imported'])),
      workflow(ship, on(['order.placed'])),
    );
    expect(summary(removed)).toEqual([
      { kind: 'event-consumed-removed', path: '/schedule/on/any/1', compatibility: 'breaking' },
    ]);
    expect(removed.changes[0]?.reason).toBe(
      "the schedule no longer starts the workflow on 'order.imported' events: producers sending them no longer start executions",
    );
    const added = diffWorkflows(workflow(ship), workflow(ship, on(['order.placed'])));
    expect(summary(added)).toEqual([
      { kind: 'event-consumed-added', path: '/schedule/on/any/0', compatibility: 'compatible' },
    ]);
  });
});
