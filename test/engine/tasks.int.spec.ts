import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { sendJson, startHttpServer } from '../support/servers/index.js';
import type { StartedHttpServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflow, workflowOf } from './workflows.js';

/** The flow tasks end to end, on the ephemeral engine with real jq. */
let engine: EngineUnderTest;
let api: StartedHttpServer;
const slowCalls = { arrived: 0, aborted: 0 };
let slowArrived: () => void;
const slowArrival = new Promise<void>((resolve) => (slowArrived = resolve));

beforeAll(async () => {
  api = await startHttpServer(async function competingBranches(request, response, signal) {
    if (request.path === '/slow') {
      slowCalls.arrived += 1;
      slowArrived();
      await once(signal, 'abort');
      slowCalls.aborted += 1;
      return;
    }
    await slowArrival;
    sendJson(response, 200, { winner: 'fast' });
  });
  engine = await startEngineUnderTest({ allowHosts: ['127.0.0.1'] });
});

afterAll(async () => {
  await engine?.stop();
  await api?.close();
});

describe('set and switch', () => {
  it('sets an object of jq expressions evaluated on the task input', async () => {
    const result = await engine.run(
      workflowOf(
        task('compute', { set: { total: '${ .a + .b }', names: '${ [.xs[].n] }', fixed: 7 } }),
      ),
      { a: 2, b: 3, xs: [{ n: 'p' }, { n: 'q' }] },
    );
    expect(result.output).toEqual({ total: 5, names: ['p', 'q'], fixed: 7 });
  });

  it('takes the first switch case whose when holds, and the default case otherwise', async () => {
    const text = workflowOf(
      task('route', {
        switch: [
          { small: { when: '.n < 10', then: 'isSmall' } },
          { large: { when: '.n >= 100', then: 'isLarge' } },
          { other: { then: 'isMedium' } },
        ],
      }),
      task('isSmall', { set: { size: 'small' }, then: 'end' }),
      task('isLarge', { set: { size: 'large' }, then: 'end' }),
      task('isMedium', { set: { size: 'medium' } }),
    );
    const sizes = [];
    for (const n of [1, 500, 50]) sizes.push((await engine.run(text, { n })).output);
    expect(sizes).toEqual([{ size: 'small' }, { size: 'large' }, { size: 'medium' }]);
  });
});

describe('for', () => {
  it('runs its tasks once per item, feeding each output to the next iteration', async () => {
    const result = await engine.run(
      workflowOf(
        task('sum', {
          for: { in: '${ .items }' },
          do: [task('add', { set: { total: '${ .total + $item }', last: '${ $index }' } })],
        }),
      ),
      { items: [1, 2, 3, 4], total: 0 },
    );
    expect(result.output).toEqual({ total: 10, last: 3 });
  });

  it('names the item and index variables after each and at', async () => {
    const result = await engine.run(
      workflowOf(
        task('join', {
          for: { each: 'word', at: 'position', in: '${ .words }' },
          do: [task('append', { set: { text: '${ .text + "\\($position):\\($word) " }' } })],
        }),
      ),
      { words: ['a', 'b'], text: '' },
    );
    expect(result.output).toEqual({ text: '0:a 1:b ' });
  });

  it('stops iterating as soon as while no longer holds', async () => {
    const result = await engine.run(
      workflowOf(
        task('count', {
          for: { in: '${ [range(10)] }' },
          while: '.count < 3',
          do: [task('inc', { set: { count: '${ .count + 1 }' } })],
        }),
      ),
      { count: 0 },
    );
    expect(result.output).toEqual({ count: 3 });
  });
});

describe('fork', () => {
  it('gives the branch outputs in declaration order, whichever finishes first', async () => {
    const result = await engine.run(
      workflowOf(
        task('both', {
          fork: {
            branches: [
              task('slower', {
                wait: { milliseconds: 100 },
                output: { as: '{ branch: "slower" }' },
              }),
              task('faster', { set: { branch: 'faster' } }),
            ],
          },
        }),
      ),
      {},
    );
    expect(result.output).toEqual([{ branch: 'slower' }, { branch: 'faster' }]);
  });

  it('with compete, outputs the faster branch and aborts the slower branch’s HTTP call', async () => {
    const result = await engine.run(
      workflowOf(
        task('race', {
          fork: {
            compete: true,
            branches: [
              task('slow', httpCall({ endpoint: `${api.baseUrl}/slow` })),
              task('fast', httpCall({ endpoint: `${api.baseUrl}/fast` })),
            ],
          },
        }),
      ),
      {},
    );
    expect(result).toMatchObject({ status: 'completed', output: { winner: 'fast' } });
    await eventually(async () => (slowCalls.aborted === 1 ? true : undefined));
    expect(slowCalls.arrived).toBe(1);
  });
});

describe('try and catch', () => {
  const raising = (status: number) =>
    task('fail', {
      raise: {
        error: { type: 'https://example.com/errors/out-of-stock', status, title: 'Out of stock' },
      },
    });

  it('handles an error its errors.with filter matches, with $error named by as', async () => {
    const result = await engine.run(
      workflowOf(
        task('guard', {
          try: [raising(409)],
          catch: {
            errors: { with: { type: 'https://example.com/errors/out-of-stock', status: 409 } },
            as: 'failure',
            do: [
              task('handle', {
                set: {
                  handled: '${ $failure.title }',
                  status: '${ $failure.status }',
                  at: '${ $failure.instance }',
                },
              }),
            ],
          },
        }),
      ),
      {},
    );
    expect(result.output).toEqual({
      handled: 'Out of stock',
      status: 409,
      at: '/do/0/guard/try/0/fail',
    });
  });

  it('lets an error its filter does not match fault the workflow unchanged', async () => {
    const result = await engine.run(
      workflowOf(
        task('guard', {
          try: [raising(500)],
          catch: { errors: { with: { status: 409 } }, do: [task('h', { set: { handled: true } })] },
        }),
      ),
      {},
    );
    expect(result.status).toBe('faulted');
    expect(result.error).toMatchObject({ status: 500, instance: '/do/0/guard/try/0/fail' });
  });

  it('catches only when its when holds and never when its exceptWhen holds', async () => {
    const guarded = (condition: Record<string, string>) =>
      workflowOf(
        task('guard', {
          try: [raising(409)],
          catch: { ...condition, do: [task('h', { set: { handled: true } })] },
        }),
      );
    const outcomes = [];
    for (const [condition, input] of [
      [{ when: '$error.status == 409' }, {}],
      [{ when: '.strict' }, { strict: false }],
      [{ exceptWhen: '$error.status == 409' }, {}],
      [{ exceptWhen: '.lenient' }, { lenient: false }],
    ] as const) {
      outcomes.push((await engine.run(guarded(condition), input)).status);
    }
    expect(outcomes).toEqual(['completed', 'faulted', 'faulted', 'completed']);
  });
});

describe('raise', () => {
  it('faults with an inline error as RFC 9457 problem details, instance the task’s JSON pointer', async () => {
    const result = await engine.run(
      workflowOf(
        task('prepare', { set: { sku: 'A-1' } }),
        task('refuse', {
          raise: {
            error: {
              type: 'https://example.com/errors/refused',
              status: 422,
              title: 'Refused',
              detail: '${ "no stock for " + .sku }',
            },
          },
        }),
      ),
      {},
    );
    expect(result.error).toEqual({
      type: 'https://example.com/errors/refused',
      status: 422,
      title: 'Refused',
      detail: 'no stock for A-1',
      instance: '/do/1/refuse',
    });
    const [failed] = await engine.eventsOfType(result.executionId, 'WorkflowFailed');
    expect(failed).toMatchObject({
      errorStatus: 422,
      taskPath: '/do/1/refuse',
      errorDetail: 'no stock for A-1',
    });
  });

  it('raises an error defined once in use.errors', async () => {
    const result = await engine.run(
      workflow({
        use: {
          errors: {
            notAllowed: { type: errorType('authorization'), status: 403, title: 'Not allowed' },
          },
        },
        do: [task('check', { do: [task('deny', { raise: { error: 'notAllowed' } })] })],
      }),
      {},
    );
    expect(result.error).toMatchObject({
      type: errorType('authorization'),
      status: 403,
      title: 'Not allowed',
      instance: '/do/0/check/do/0/deny',
    });
  });
});

describe('wait', () => {
  it('waits an ISO 8601 duration and an inline one on durable timers', async () => {
    const startedAt = Date.now();
    const result = await engine.run(
      workflowOf(task('iso', { wait: 'PT0.2S' }), task('inline', { wait: { milliseconds: 150 } })),
      { kept: true },
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(350);
    expect(result.output).toEqual({ kept: true });
    const scheduled = await engine.eventsOfType<{ timerKey: string; purpose: string }>(
      result.executionId,
      'TimerScheduled',
    );
    const fired = await engine.eventsOfType<{ timerKey: string }>(result.executionId, 'TimerFired');
    expect(scheduled.map((t) => [t.timerKey, t.purpose])).toEqual([
      ['/do/0/iso@wait', 'wait'],
      ['/do/1/inline@wait', 'wait'],
    ]);
    expect(fired.map((t) => t.timerKey)).toEqual(['/do/0/iso@wait', '/do/1/inline@wait']);
  });
});
