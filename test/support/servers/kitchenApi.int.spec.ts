import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchJson } from './fetchJson.js';
import { startKitchenApi } from './kitchenApi.js';
import type { KitchenApi, KitchenSchedule } from './kitchenApi.js';

let kitchen: KitchenApi;
beforeEach(async () => {
  kitchen = await startKitchenApi({
    capacity: 2,
    now: () => new Date('2025-03-01T12:00:00Z'),
  });
});
afterEach(() => kitchen.close());

const order = { orderId: 'ord-1', items: [{ sku: 'patty', quantity: 2 }] };
const schedule = (body: unknown, headers: Record<string, string> = {}) =>
  fetchJson<KitchenSchedule>(`${kitchen.baseUrl}/schedules`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${kitchen.token}`, ...headers },
  });

describe('the Kitchen API stand-in', () => {
  it('reports its capacity', async () => {
    const { status, body } = await fetchJson(`${kitchen.baseUrl}/capacity`);
    expect(status).toBe(200);
    expect(body).toEqual({ capacity: 2, activeOrders: 0, available: 2, acceptingOrders: true });
  });

  it('schedules an order, ready after the preparation time from its clock', async () => {
    const { status, body, headers } = await schedule(order);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      orderId: 'ord-1',
      status: 'scheduled',
      startAt: '2025-03-01T12:00:00.000Z',
      readyAt: '2025-03-01T12:08:00.000Z',
    });
    expect(headers.get('location')).toBe(`${kitchen.baseUrl}/schedules/${body.scheduleId}`);
    const fetched = await fetchJson(`${kitchen.baseUrl}/schedules/${body.scheduleId}`);
    expect(fetched.body).toEqual(body);
  });

  it('refuses to schedule without the bearer token, with a Bearer challenge', async () => {
    const { status, headers } = await schedule(order, { authorization: 'Bearer wrong' });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(kitchen.sideEffects).toEqual([]);
  });

  it('rejects an invalid request with a problem document', async () => {
    const { status, headers, body } = await schedule({ orderId: 'ord-1', items: [] });
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 400, detail: "'items' must be a non-empty array" });
  });

  it('answers 409 once at capacity, and takes orders again after a cancellation', async () => {
    kitchen.setCapacity(1);
    const first = await schedule(order);
    expect((await schedule({ ...order, orderId: 'ord-2' })).status).toBe(409);
    const cancelled = await fetchJson(`${kitchen.baseUrl}/schedules/${first.body.scheduleId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${kitchen.token}` },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await schedule({ ...order, orderId: 'ord-2' })).status).toBe(201);
  });

  it('replays the first answer for a repeated Idempotency-Key, scheduling once', async () => {
    const first = await schedule(order, { 'idempotency-key': 'exec-1:/do/0:1' });
    const again = await schedule(order, { 'idempotency-key': 'exec-1:/do/0:1' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(kitchen.sideEffects).toEqual([
      {
        operationId: 'scheduleOrder',
        resourceId: first.body.scheduleId,
        idempotencyKey: 'exec-1:/do/0:1',
      },
    ]);
  });

  it('schedules once when duplicates with one key arrive concurrently', async () => {
    const key = { 'idempotency-key': 'concurrent' };
    const answers = await Promise.all([schedule(order, key), schedule(order, key)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(kitchen.sideEffects).toHaveLength(1);
  });

  it('schedules twice when the same order is sent twice without a key', async () => {
    await schedule(order);
    await schedule(order);
    expect(kitchen.sideEffects).toHaveLength(2);
  });

  it('answers 422 when a key is reused with another body', async () => {
    await schedule(order, { 'idempotency-key': 'k' });
    const reused = await schedule({ ...order, orderId: 'ord-9' }, { 'idempotency-key': 'k' });
    expect(reused.status).toBe(422);
    expect(kitchen.sideEffects).toHaveLength(1);
  });

  it('records each request with method, path, query, headers and body', async () => {
    await fetchJson(`${kitchen.baseUrl}/capacity?at=now&at=later`);
    await schedule(order, { 'idempotency-key': 'rec' });
    expect(kitchen.requests).toMatchObject([
      { method: 'GET', path: '/capacity', query: { at: ['now', 'later'] }, body: undefined },
      {
        method: 'POST',
        path: '/schedules',
        headers: { 'idempotency-key': 'rec', authorization: `Bearer ${kitchen.token}` },
        body: order,
      },
    ]);
  });
});
