import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFlakyServer } from './flakyServer.js';
import type { FlakyServer } from './flakyServer.js';

let flaky: FlakyServer;
beforeEach(async () => {
  flaky = await startFlakyServer();
});
afterEach(() => flaky.close());

const url = (path: string) => `${flaky.baseUrl}${path}`;
const statusesOf = async (path: string, times: number, key?: (i: number) => string) => {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const headers: Record<string, string> = key ? { 'idempotency-key': key(i) } : {};
    statuses.push((await fetch(url(path), { method: 'POST', headers })).status);
  }
  return statuses;
};

describe('the flaky server', () => {
  it('answers a path with its script in order, then repeats the last step', async () => {
    flaky.script('/orders', [
      { status: 503 },
      { status: 503 },
      { status: 200, body: { ok: true } },
    ]);
    expect(await statusesOf('/orders', 4)).toEqual([503, 503, 200, 200]);
    expect(await (await fetch(url('/orders'))).json()).toEqual({ ok: true });
  });

  it('runs the script from its start for each Idempotency-Key when asked to', async () => {
    flaky.script('/pay', [{ status: 503 }, { status: 201 }], { per: 'idempotency-key' });
    const keys = ['a', 'a', 'b', 'b'];
    expect(await statusesOf('/pay', 4, (i) => keys[i] as string)).toEqual([503, 201, 503, 201]);
    expect(flaky.attemptsAt('/pay').map((a) => [a.key, a.attempt])).toEqual([
      ['/pay a', 1],
      ['/pay a', 2],
      ['/pay b', 1],
      ['/pay b', 2],
    ]);
  });

  it('records each attempt with its time, headers and body', async () => {
    flaky.script('/orders', { status: 202 });
    const before = Date.now();
    await fetch(url('/orders?x=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: '{"n":1}',
    });
    const [attempt] = flaky.attempts;
    expect(attempt).toMatchObject({
      method: 'POST',
      path: '/orders',
      query: { x: '1' },
      headers: { 'idempotency-key': 'k1' },
      body: { n: 1 },
      attempt: 1,
      step: { status: 202 },
    });
    expect(attempt?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('answers 404 for a path without a script', async () => {
    expect((await fetch(url('/nothing'))).status).toBe(404);
    expect(flaky.attempts).toEqual([]);
  });

  it('sends Retry-After with a 429', async () => {
    flaky.script('/limited', { status: 429, retryAfter: 2, body: { error: 'slow down' } });
    const response = await fetch(url('/limited'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
  });

  it('answers after a delay', async () => {
    flaky.script('/slow', { status: 200, delayMs: 20, body: 'late' });
    expect(await (await fetch(url('/slow'))).json()).toBe('late');
  });

  it('lets a client give up on a delayed answer', async () => {
    flaky.script('/slower', { status: 200, delayMs: 60_000 });
    const answer = fetch(url('/slower'), { signal: AbortSignal.timeout(50) });
    await expect(answer).rejects.toThrow(/abort|timeout/i);
  });

  it('never answers a hanging path, and still closes', async () => {
    flaky.script('/hang', { hang: true });
    const answer = fetch(url('/hang'), { signal: AbortSignal.timeout(100) });
    await expect(answer).rejects.toThrow(/abort|timeout/i);
    const pending = fetch(url('/hang')).catch((error: unknown) => error);
    await expect.poll(() => flaky.attemptsAt('/hang').length).toBe(2);
    await flaky.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('streams a huge body, chunked unless told to announce its length', async () => {
    flaky.script('/huge', { streamMiB: 3 });
    const chunked = await fetch(url('/huge'));
    expect(chunked.headers.get('content-length')).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
    flaky.script('/huge', { streamMiB: 1, contentLength: true });
    const announced = await fetch(url('/huge'));
    expect(announced.headers.get('content-length')).toBe(String(1024 * 1024));
    expect(JSON.parse(await announced.text())).toHaveProperty('padding');
  });

  it('lets a client stop reading a huge body part way', async () => {
    flaky.script('/huge', { streamMiB: 64 });
    const reader = (await fetch(url('/huge'))).body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    await reader?.cancel();
    flaky.script('/after', { status: 204 });
    expect((await fetch(url('/after'))).status).toBe(204);
  });

  it('closes the socket mid-response', async () => {
    flaky.script('/cut', { resetAfterBytes: 100 });
    const response = await fetch(url('/cut'));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('closes the socket before any response', async () => {
    flaky.script('/reset', { resetAfterBytes: 0 });
    await expect(fetch(url('/reset'))).rejects.toThrow(/fetch failed/);
  });
});

describe('the flaky server redirects', () => {
  it('through a chain of 301, 302 and 307 to the final answer', async () => {
    flaky.script('/a', { redirect: '/b', status: 301 });
    flaky.script('/b', { redirect: '/c', status: 302 });
    flaky.script('/c', { redirect: '/d', status: 307 });
    flaky.script('/d', { status: 200, body: { arrived: true } });
    const response = await fetch(url('/a'));
    expect(await response.json()).toEqual({ arrived: true });
    expect(flaky.attempts.map((a) => a.path)).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('keeps the method and body on a 307, as clients must', async () => {
    flaky.script('/old', { redirect: '/new', status: 307 });
    flaky.script('/new', { status: 201 });
    await fetch(url('/old'), { method: 'POST', body: 'payload' });
    expect(flaky.attemptsAt('/new')).toMatchObject([{ method: 'POST', body: 'payload' }]);
  });

  it('in a loop, which a following client gives up on', async () => {
    flaky.script('/loop', { redirect: '/loop' });
    await expect(fetch(url('/loop'))).rejects.toThrow(/fetch failed/);
    expect(flaky.attemptsAt('/loop').length).toBeGreaterThan(5);
    const manual = await fetch(url('/loop'), { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/loop');
  });

  it('to another host and port', async () => {
    const other = await startFlakyServer();
    try {
      other.script('/landing', { status: 200, body: 'elsewhere' });
      flaky.script('/away', { redirect: `${other.baseUrl}/landing` });
      expect(await (await fetch(url('/away'))).json()).toBe('elsewhere');
      expect(other.attemptsAt('/landing')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
