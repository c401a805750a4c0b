import type { EventEnvelope } from '../../contracts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlakyServer } from '../support/servers/index.js';
import type { FlakyServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflowOf } from './workflows.js';
import type { Json } from './workflows.js';

/** Retry policies of `try`, against the flaky server, and the Idempotency-Key they keep. */
let engine: EngineUnderTest;
let flaky: FlakyServer;
let paths = 0;

beforeAll(async () => {
  flaky = await startFlakyServer();
  engine = await startEngineUnderTest({ allowHosts: ['127.0.0.1'] });
});

afterAll(async () => {
  await engine?.stop();
  await flaky?.close();
});

/** A fresh path scripted with `statuses` (the last one repeats). */
function scripted(...statuses: (number | { status: number; retryAfter?: number })[]): string {
  paths += 1;
  const path = `/flaky-${paths}`;
  flaky.script(
    path,
    statuses.map((s) => (typeof s === 'number' ? { status: s, body: { status: s } } : s)),
  );
  return path;
}

/**
 * A workflow calling `path` inside a try with the given retry policy; once the try gives up,
 * `catch.do` outputs the error it handled as `{ handled: $error }`.
 */
function retrying(path: string, retry: Json): string {
  return workflowOf(
    task('guarded', {
      try: [task('call', httpCall({ endpoint: `${flaky.baseUrl}${path}` }))],
      catch: { retry, do: [task('handle', { set: { handled: '${ $error }' } })] },
    }),
  );
}

const handledStatus = (output: unknown) =>
  (output as { handled?: { status?: number } }).handled?.status;

const keysAt = (path: string) => flaky.attemptsAt(path).map((a) => a.headers['idempotency-key']);

/** Each retry timer's delay: its due time minus when it was recorded (with the fault before it). */
function retryDelays(events: EventEnvelope[]): number[] {
  return events
    .filter(
      (e) => e.type === 'TimerScheduled' && (e.data as { purpose: string }).purpose === 'retry',
    )
    .map((e) => Date.parse((e.data as { dueAt: string }).dueAt) - Date.parse(e.occurredAt));
}

describe('retrying a call', () => {
  it('retries 503, 503, 200 with exponential backoff and completes, sending one Idempotency-Key', async () => {
    const path = scripted(503, 503, 200);
    const result = await engine.run(
      retrying(path, {
        delay: { milliseconds: 50 },
        backoff: { exponential: {} },
        limit: { attempt: { count: 5 } },
      }),
      {},
    );
    expect(result).toMatchObject({ status: 'completed', output: { status: 200 } });
    const keys = keysAt(path);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toEqual(expect.any(String));
    const started = await engine.eventsOfType<{ idempotencyKey: string; taskName: string }>(
      result.executionId,
      'TaskStarted',
    );
    expect(started.filter((t) => t.taskName === 'call').map((t) => t.idempotencyKey)).toEqual([
      keys[0],
      keys[0],
      keys[0],
    ]);
  });

  it('sends a different Idempotency-Key in every iteration of a for loop', async () => {
    const path = scripted(200);
    const result = await engine.run(
      workflowOf(
        task('each', {
          for: { in: '${ [1, 2, 3] }' },
          do: [task('call', httpCall({ endpoint: `${flaky.baseUrl}${path}` }))],
        }),
      ),
      {},
    );
    expect(result.status).toBe('completed');
    expect(new Set(keysAt(path)).size).toBe(3);
  });

  it('sends a new Idempotency-Key when a then jump runs the call task again', async () => {
    const path = scripted(200);
    const result = await engine.run(
      workflowOf(
        task('count', { set: { n: '${ (.n // 0) + 1 }' } }),
        task(
          'call',
          httpCall({ endpoint: `${flaky.baseUrl}${path}` }, { output: { as: '${ $input }' } }),
        ),
        task('again', {
          switch: [{ more: { when: '.n < 2', then: 'count' } }, { done: { then: 'exit' } }],
        }),
      ),
      {},
    );
    expect(result.output).toEqual({ n: 2 });
    const keys = keysAt(path);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('stops after limit.attempt.count retries and hands the last error to catch.do', async () => {
    // AWP counts limit.attempt.count as retries after the first attempt (retryPolicy.ts).
    const path = scripted(500, 502, 503);
    const result = await engine.run(
      retrying(path, { delay: { milliseconds: 10 }, limit: { attempt: { count: 2 } } }),
      {},
    );
    expect(flaky.attemptsAt(path)).toHaveLength(3);
    expect(result.output).toEqual({
      handled: expect.objectContaining({
        type: errorType('communication'),
        status: 503,
        instance: '/do/0/guarded/try/0/call',
      }) as unknown,
    });
  });

  it('stops retrying once limit.duration has passed since the first attempt', async () => {
    const path = scripted(503);
    const result = await engine.run(
      retrying(path, { delay: { milliseconds: 300 }, limit: { duration: { seconds: 1 } } }),
      {},
    );
    expect(handledStatus(result.output)).toBe(503);
    // Retries start at least 300 ms apart and none starts a second after the first attempt.
    expect(flaky.attemptsAt(path).length).toBeGreaterThanOrEqual(2);
    expect(flaky.attemptsAt(path).length).toBeLessThanOrEqual(5);
  });
});

describe('retry conditions', () => {
  const policy = (condition: Json) => ({
    delay: { milliseconds: 10 },
    limit: { attempt: { count: 3 } },
    ...condition,
  });

  it('retries only errors for which the policy’s when holds', async () => {
    const retried = scripted(503, 200);
    const notRetried = scripted(500, 200);
    const when = policy({ when: '${ $error.status == 503 }' });
    expect((await engine.run(retrying(retried, when), {})).output).toEqual({ status: 200 });
    expect(handledStatus((await engine.run(retrying(notRetried, when), {})).output)).toBe(500);
    expect(flaky.attemptsAt(retried)).toHaveLength(2);
    expect(flaky.attemptsAt(notRetried)).toHaveLength(1);
  });

  it('never retries errors for which the policy’s exceptWhen holds', async () => {
    const retried = scripted(503, 200);
    const notRetried = scripted(400, 200);
    const exceptWhen = policy({ exceptWhen: '${ $error.status < 500 }' });
    expect((await engine.run(retrying(retried, exceptWhen), {})).output).toEqual({ status: 200 });
    expect(handledStatus((await engine.run(retrying(notRetried, exceptWhen), {})).output)).toBe(
      400,
    );
    expect(flaky.attemptsAt(retried)).toHaveLength(2);
    expect(flaky.attemptsAt(notRetried)).toHaveLength(1);
  });
});

describe('retry delays', () => {
  const delaysFor = async (backoff: Json) => {
    const path = scripted(503);
    const result = await engine.run(
      retrying(path, { delay: { milliseconds: 200 }, backoff, limit: { attempt: { count: 3 } } }),
      {},
    );
    expect(handledStatus(result.output)).toBe(503);
    return retryDelays(await engine.events(result.executionId));
  };
  const near = (expected: number[]) =>
    expected.map((ms) => expect.toSatisfy((d: number) => d <= ms && d >= ms - 50) as unknown);

  it('waits the same delay before each retry with a constant backoff', async () => {
    expect(await delaysFor({ constant: {} })).toEqual(near([200, 200, 200]));
  });

  it('grows the delay by the delay with a linear backoff', async () => {
    expect(await delaysFor({ linear: {} })).toEqual(near([200, 400, 600]));
  });

  it('doubles the delay with an exponential backoff', async () => {
    expect(await delaysFor({ exponential: {} })).toEqual(near([200, 400, 800]));
  });

  it('adds a jitter within its bounds to every delay', async () => {
    const path = scripted(503);
    const result = await engine.run(
      retrying(path, {
        delay: { milliseconds: 100 },
        jitter: { from: { milliseconds: 50 }, to: { milliseconds: 250 } },
        limit: { attempt: { count: 4 } },
      }),
      {},
    );
    const delays = retryDelays(await engine.events(result.executionId));
    expect(delays).toHaveLength(4);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(150 - 50);
      expect(delay).toBeLessThanOrEqual(350);
    }
  });
});

describe('rate limiting', () => {
  it('faults on a 429 with Retry-After as a communication error with status 429', async () => {
    const path = scripted({ status: 429, retryAfter: 1 });
    const result = await engine.run(
      workflowOf(task('call', httpCall({ endpoint: `${flaky.baseUrl}${path}` }))),
      {},
    );
    expect(result.error).toMatchObject({
      type: errorType('communication'),
      status: 429,
      instance: '/do/0/call',
    });
  });
});
