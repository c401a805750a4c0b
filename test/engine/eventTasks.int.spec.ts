import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import type { CloudEvent } from '../../domains/workflow/index.js';
import { eventually } from '../support/eventually.js';
import { sendJson, startHttpServer } from '../support/servers/index.js';
import type { StartedHttpServer } from '../support/servers/index.js';
import { account, outputOf, startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflow, workflowOf } from './workflows.js';
import type { Json } from './workflows.js';

/** emit, listen (delivered by `engine.publish`) and run: workflow, end to end. */
let engine: EngineUnderTest;
let holder: StartedHttpServer;
const held: ServerResponse[] = [];
let published = 0;

beforeAll(async () => {
  holder = await startHttpServer((_request, response) => {
    held.push(response);
  });
  engine = await startEngineUnderTest({ allowHosts: ['127.0.0.1'] });
});

afterAll(async () => {
  releaseHeld();
  await engine?.stop();
  await holder?.close();
});

function releaseHeld(): void {
  for (const response of held.splice(0)) sendJson(response, 200, { released: true });
}

function cloudEvent(type: string, data: unknown): CloudEvent {
  published += 1;
  return {
    specversion: '1.0',
    id: `evt-${published}`,
    source: 'https://pos.example.com',
    type,
    data,
  };
}

/**
 * Starts a workflow around a `listen` task and resolves once it waits for `eventType`. Parked:
 * the execution has left memory (a publish goes through its stream and wakes it). Held: the
 * listen runs beside a call the test holds open, so the execution stays in memory and several
 * events can be published one after the other (publishing to an execution while it parks can
 * lose the wake-up, see the report).
 */
async function startListening(
  listen: Json,
  eventType: string,
  { input = {}, mode = 'parked' }: { input?: unknown; mode?: 'parked' | 'held' } = {},
): Promise<string> {
  const text =
    mode === 'held'
      ? workflowOf(
          task('waitForEvents', {
            fork: {
              branches: [
                task('events', listen),
                task('hold', httpCall({ endpoint: `${holder.baseUrl}/hold` })),
              ],
            },
            output: { as: '${ .[0] }' },
          }),
        )
      : workflowOf(task('events', listen));
  const executionId = await engine.start(text, input);
  await eventually(async () => {
    const subscriptions = await engine.engine.index.subscriptions(account, eventType);
    return subscriptions.some((s) => s.executionId === executionId) ? true : undefined;
  });
  if (mode === 'parked') {
    await eventually(async () =>
      (await engine.engine.index.find(executionId))?.status === 'waiting' ? true : undefined,
    );
  }
  return executionId;
}

/** Lets any held call answer and returns the execution's output. */
async function outputAtEnd(executionId: string): Promise<unknown> {
  releaseHeld();
  return outputOf(await engine.awaitEnd(executionId));
}

const publish = (type: string, data: unknown) =>
  engine.engine.publish(account, cloudEvent(type, data));

describe('emit', () => {
  it('outputs the CloudEvent it emitted and records it in the stream', async () => {
    const result = await engine.run(
      workflowOf(
        task('announce', {
          emit: {
            event: {
              with: {
                source: 'https://awp.example.com/orders',
                type: 'com.example.order.placed',
                data: '${ { orderId: .id } }',
              },
            },
          },
        }),
      ),
      { id: 'o-7' },
    );
    expect(result.output).toMatchObject({
      specversion: '1.0',
      source: 'https://awp.example.com/orders',
      type: 'com.example.order.placed',
      datacontenttype: 'application/json',
      data: { orderId: 'o-7' },
    });
    const event = result.output as CloudEvent;
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(event.time))).not.toBeNaN();
    const [emitted] = await engine.eventsOfType<{ cloudEventJson: string }>(
      result.executionId,
      'CloudEventEmitted',
    );
    expect(JSON.parse(emitted?.cloudEventJson ?? '{}')).toEqual(event);
  });
});

describe('listen', () => {
  it('with one, parks until the event is published, then outputs its data', async () => {
    const id = await startListening(
      { listen: { to: { one: { with: { type: 'test.one.paid' } } } } },
      'test.one.paid',
    );
    expect(await publish('test.one.unrelated', { no: true })).toEqual({ delivered: 0 });
    expect(await publish('test.one.paid', { amount: 12 })).toEqual({ delivered: 1 });
    expect(await outputAtEnd(id)).toEqual([{ amount: 12 }]);
    const types = (await engine.events(id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['EventAwaited', 'EventConsumed', 'WorkflowCompleted']),
    );
  });

  it('with one, takes the event straight into an execution that is still in memory', async () => {
    const id = await startListening(
      { listen: { to: { one: { with: { type: 'test.active' } } } } },
      'test.active',
      {
        mode: 'held',
      },
    );
    expect(await publish('test.active', { live: true })).toEqual({ delivered: 1 });
    expect(await outputAtEnd(id)).toEqual([{ live: true }]);
  });

  it('with any, completes on the first event that matches any filter', async () => {
    const id = await startListening(
      {
        listen: {
          to: { any: [{ with: { type: 'test.any.a' } }, { with: { type: 'test.any.b' } }] },
        },
      },
      'test.any.b',
    );
    await publish('test.any.b', { which: 'b' });
    expect(await outputAtEnd(id)).toEqual([{ which: 'b' }]);
  });

  it('with all, waits for one event per filter and outputs them in arrival order', async () => {
    const id = await startListening(
      {
        listen: {
          to: { all: [{ with: { type: 'test.all.a' } }, { with: { type: 'test.all.b' } }] },
        },
      },
      'test.all.a',
      { mode: 'held' },
    );
    expect(await publish('test.all.b', { which: 'b' })).toEqual({ delivered: 1 });
    expect((await engine.engine.readState(id))?.status).not.toBe('completed');
    expect(await publish('test.all.a', { which: 'a' })).toEqual({ delivered: 1 });
    expect(await outputAtEnd(id)).toEqual([{ which: 'b' }, { which: 'a' }]);
  });

  it('with any and until, collects events until the until event arrives, which it leaves out', async () => {
    const id = await startListening(
      {
        listen: {
          to: {
            any: [{ with: { type: 'test.until.item' } }],
            until: { one: { with: { type: 'test.until.done' } } },
          },
        },
      },
      'test.until.done',
      { mode: 'held' },
    );
    await publish('test.until.item', { n: 1 });
    await publish('test.until.item', { n: 2 });
    await publish('test.until.done', { last: true });
    expect(await outputAtEnd(id)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('takes only the event whose correlation yields the expected value', async () => {
    const id = await startListening(
      {
        listen: {
          to: {
            one: {
              with: { type: 'test.correlated.paid' },
              correlate: { order: { from: '.data.orderId', expect: '${ .orderId }' } },
            },
          },
        },
      },
      'test.correlated.paid',
      { input: { orderId: 'o-42' } },
    );
    expect(await publish('test.correlated.paid', { orderId: 'o-41' })).toEqual({ delivered: 0 });
    expect(await publish('test.correlated.paid', { orderId: 'o-42' })).toEqual({ delivered: 1 });
    expect(await outputAtEnd(id)).toEqual([{ orderId: 'o-42' }]);
  });

  it('with read envelope, outputs the whole CloudEvents', async () => {
    const id = await startListening(
      { listen: { to: { one: { with: { type: 'test.envelope' } } }, read: 'envelope' } },
      'test.envelope',
    );
    const event = cloudEvent('test.envelope', { x: 1 });
    await engine.engine.publish(account, event);
    expect(await outputAtEnd(id)).toEqual([event]);
  });
});

describe('run workflow', () => {
  it('runs a sub-workflow from the catalog and outputs what it output', async () => {
    await engine.add(
      workflow({ do: [task('double', { set: { doubled: '${ .n * 2 }' } })] }, 'doubler', '2.0.0'),
    );
    const result = await engine.run(
      workflowOf(
        task('delegate', {
          run: {
            workflow: {
              namespace: 'engine-tests',
              name: 'doubler',
              version: '2.0.0',
              input: { n: '${ .value }' },
            },
          },
        }),
      ),
      { value: 21 },
    );
    expect(result).toMatchObject({ status: 'completed', output: { doubled: 42 } });
  });

  it('parks the parent while a long child waits, and completes it when the child ends', async () => {
    await engine.add(
      workflow(
        { do: [task('nap', { wait: { seconds: 3 } }), task('answer', { set: { done: true } })] },
        'slow-child',
      ),
    );
    const parentId = await engine.start(
      workflowOf(
        task('delegate', {
          run: { workflow: { namespace: 'engine-tests', name: 'slow-child', version: '1.0.0' } },
        }),
      ),
      {},
    );
    // Nothing of the parent stays in memory while the child waits on its timer.
    await eventually(async () => {
      const row = await engine.engine.index.find(parentId);
      return row?.status === 'waiting' ? true : undefined;
    });
    const ended = await engine.awaitEnd(parentId);
    expect(ended.status).toBe('completed');
    expect(JSON.parse(ended.outputJson ?? 'null')).toEqual({ done: true });
  });

  it('faults the parent with the error of a faulting child', async () => {
    await engine.add(
      workflow(
        {
          do: [
            task('refuse', {
              raise: { error: { type: errorType('runtime'), status: 500, title: 'Child failed' } },
            }),
          ],
        },
        'failing-child',
      ),
    );
    const result = await engine.run(
      workflowOf(
        task('delegate', {
          run: { workflow: { namespace: 'engine-tests', name: 'failing-child', version: '1.0.0' } },
        }),
      ),
      {},
    );
    expect(result.status).toBe('faulted');
    expect(result.error).toMatchObject({
      type: errorType('runtime'),
      status: 500,
      title: 'Child failed',
    });
  });
});
