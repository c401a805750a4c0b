import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResolver } from '../../infra/http/guardedLookup.js';
import { startFlakyServer } from '../support/servers/index.js';
import type { FlakyServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflowOf } from './workflows.js';

/**
 * What protects the platform from a workflow: the SSRF guard, response size and call time
 * limits, runaway flows and expressions. Two engines: `guarded` lets through only the name
 * `api.customer.test`, `open` also 127.0.0.1 and has small engine limits.
 */
let guarded: EngineUnderTest;
let open: EngineUnderTest;
let flaky: FlakyServer;

const fakeDns: Record<string, string> = {
  'api.customer.test': '127.0.0.1',
  'intranet.customer.test': '10.0.0.7',
  'loopback.customer.test': '127.0.0.1',
};
const resolve: HostResolver = (hostname) => {
  const address = fakeDns[hostname];
  return Promise.resolve(address ? [{ address, family: 4 }] : []);
};

beforeAll(async () => {
  flaky = await startFlakyServer();
  flaky.script('/ok', { status: 200, body: { ok: true } });
  guarded = await startEngineUnderTest({ allowHosts: ['api.customer.test'], resolve });
  open = await startEngineUnderTest({
    allowHosts: ['127.0.0.1'],
    callTimeoutMs: 500,
    limits: {
      maxTaskRuns: 500,
      maxForIterations: 1_000,
      maxForkBranches: 100,
      maxOutputBytes: 64 * 1024,
    },
  });
});

afterAll(async () => {
  await Promise.all([guarded?.stop(), open?.stop()]);
  await flaky?.close();
});

const port = () => new URL(flaky.baseUrl).port;
const callTo = (endpoint: string, extra: Record<string, unknown> = {}) =>
  workflowOf(task('call', httpCall({ endpoint, ...extra })));

async function expectRefused(
  engine: EngineUnderTest,
  endpoint: string,
  extra: Record<string, unknown> = {},
) {
  const before = flaky.requests.length;
  const result = await engine.run(callTo(endpoint, extra), {});
  expect(result.error).toMatchObject({
    type: errorType('authorization'),
    status: 403,
    instance: '/do/0/call',
  });
  expect(flaky.requests.length).toBe(before);
  return result;
}

describe('SSRF guard', () => {
  it('refuses a call to 127.0.0.1 that is not allowed, before anything reaches the server', async () => {
    await expectRefused(guarded, `${flaky.baseUrl}/ok`);
  });

  it('lets the same call through when 127.0.0.1 is on the allow-list', async () => {
    expect((await open.run(callTo(`${flaky.baseUrl}/ok`), {})).output).toEqual({ ok: true });
  });

  it('refuses the cloud metadata address and the IPv6 loopback even with 127.0.0.1 allowed', async () => {
    await expectRefused(open, 'http://169.254.169.254/latest/meta-data');
    await expectRefused(open, 'http://[::1]/');
  });

  it('refuses a name that resolves to a private or loopback address', async () => {
    const refused = await expectRefused(guarded, `http://intranet.customer.test:${port()}/ok`);
    expect(refused.error?.detail).toContain('10.0.0.7');
    await expectRefused(guarded, `http://loopback.customer.test:${port()}/ok`);
  });

  it('lets a name on the allow-list reach the private address it resolves to', async () => {
    const result = await guarded.run(callTo(`http://api.customer.test:${port()}/ok`), {});
    expect(result.output).toEqual({ ok: true });
  });

  it('refuses a redirect from an allowed host to a refused address', async () => {
    flaky.script('/to-loopback', { redirect: `http://127.0.0.1:${port()}/ok`, status: 302 });
    flaky.script('/to-metadata', {
      redirect: 'http://169.254.169.254/latest/meta-data',
      status: 307,
    });
    for (const path of ['/to-loopback', '/to-metadata']) {
      const okBefore = flaky.attemptsAt('/ok').length;
      const result = await guarded.run(
        callTo(`http://api.customer.test:${port()}${path}`, { redirect: true }),
        {},
      );
      expect(result.error).toMatchObject({ type: errorType('authorization'), status: 403 });
      expect(flaky.attemptsAt(path)).toHaveLength(1);
      expect(flaky.attemptsAt('/ok').length).toBe(okBefore);
    }
  });
});

describe('response size and call time', () => {
  it('faults with a communication error 502 on a response larger than 10 MiB', async () => {
    // startEphemeralEngine has no size option: this is OutboundHttp's default maxResponseBytes.
    flaky.script('/huge', { streamMiB: 11 });
    const result = await open.run(callTo(`${flaky.baseUrl}/huge`), {});
    expect(result.error).toMatchObject({
      type: errorType('communication'),
      status: 502,
      instance: '/do/0/call',
    });
  });

  it('faults with a timeout error 408 when a call hangs past the call time limit, and calls on afterwards', async () => {
    flaky.script('/hang', { hang: true });
    const startedAt = Date.now();
    const result = await open.run(callTo(`${flaky.baseUrl}/hang`), {});
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
    expect(result.error).toMatchObject({
      type: errorType('timeout'),
      status: 408,
      instance: '/do/0/call',
    });
    expect((await open.run(callTo(`${flaky.baseUrl}/ok`), {})).output).toEqual({ ok: true });
  });
});

describe('runaway workflows', () => {
  const healthy = workflowOf(task('fine', { set: { fine: true } }));

  it('faults an endless then loop at the task run limit, and runs the next workflow normally', async () => {
    const result = await open.run(
      workflowOf(
        task('ping', { set: { n: '${ (.n // 0) + 1 }' }, then: 'pong' }),
        task('pong', { set: { n: '${ .n }' }, then: 'ping' }),
      ),
      {},
    );
    expect(result.error).toMatchObject({ type: errorType('runtime'), status: 500 });
    expect(result.error?.detail).toContain('AWP_ENGINE_MAX_TASK_RUNS');
    expect(result.error?.detail).toContain('500');
    expect((await open.run(healthy, {})).output).toEqual({ fine: true });
  });

  it('faults a for over more items than the iteration limit before running any', async () => {
    const result = await open.run(
      workflowOf(
        task('each', {
          for: { in: '${ [range(20000)] }' },
          do: [task('step', { set: { i: '${ $item }' } })],
        }),
      ),
      {},
    );
    expect(result.error).toMatchObject({ type: errorType('runtime'), instance: '/do/0/each' });
    expect(result.error?.detail).toContain('AWP_ENGINE_MAX_FOR_ITERATIONS');
    expect(await open.eventsOfType(result.executionId, 'TaskCompleted')).toEqual([]);
  });

  it('faults a fork with more branches than the branch limit', async () => {
    const branches = Array.from({ length: 200 }, (_, i) => task(`b${i}`, { set: { i } }));
    const result = await open.run(workflowOf(task('wide', { fork: { branches } })), {});
    expect(result.error).toMatchObject({ type: errorType('runtime'), instance: '/do/0/wide' });
    expect(result.error?.detail).toContain('AWP_ENGINE_MAX_FORK_BRANCHES');
  });

  it('faults a task whose output is larger than the output limit', async () => {
    const result = await open.run(
      workflowOf(task('big', { set: { rows: '${ [range(50000) | tostring] }' } })),
      {},
    );
    expect(result.error).toMatchObject({ type: errorType('runtime'), instance: '/do/0/big' });
    expect(result.error?.detail).toContain('AWP_ENGINE_MAX_OUTPUT_BYTES');
    expect((await open.run(healthy, {})).output).toEqual({ fine: true });
  });

  it.each([
    ['endless recursion', 'def f: f; f'],
    ['a billion-element array', '[range(1e9)]'],
    ['an endless until', 'until(false; .)'],
  ])(
    'faults %s in a set task with an expression error, and evaluates on afterwards',
    async (_, program) => {
      const result = await open.run(
        workflowOf(task('runaway', { set: { value: `\${ ${program} }` } })),
        {},
      );
      expect(result.error).toMatchObject({
        type: errorType('expression'),
        status: 400,
        instance: '/do/0/runaway/set',
      });
      expect(result.error?.title).toMatch(/took too long|exceeded a limit/);
      expect(
        (
          await open.run(workflowOf(task('after', { set: { sum: '${ .a + .b }' } })), {
            a: 1,
            b: 2,
          })
        ).output,
      ).toEqual({ sum: 3 });
    },
  );
});
