import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchJson } from './fetchJson.js';
import { startPosApi } from './posApi.js';
import type { PosApi, PosOrder } from './posApi.js';

let pos: PosApi;
beforeEach(async () => {
  pos = await startPosApi({ now: () => new Date('2025-03-01T12:00:00Z') });
});
afterEach(() => pos.close());

const call = <T = PosOrder>(
  path: string,
  init: { method?: string; body?: unknown } = {},
  headers: Record<string, string> = {},
) =>
  fetchJson<T>(`${pos.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${pos.token}`, ...headers },
  });
const newOrder = { customer: { name: 'Ada' }, items: [{ sku: 'patty', quantity: 1 }] };
const createOrder = (headers: Record<string, string> = {}) =>
  call('/orders', { method: 'POST', body: newOrder }, headers);
const setStatus = (orderId: string, status: string) =>
  call(`/orders/${orderId}/status`, { method: 'PUT', body: { status } });

describe('the POS API stand-in', () => {
  it('refuses every order operation without the bearer token', async () => {
    expect((await fetchJson(`${pos.baseUrl}/orders`)).status).toBe(401);
    expect(
      (await fetchJson(`${pos.baseUrl}/orders`, { method: 'POST', body: newOrder })).status,
    ).toBe(401);
  });

  it('creates an order as received, then gets it by id', async () => {
    const { status, body, headers } = await createOrder();
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'received', customer: { name: 'Ada' } });
    expect(headers.get('location')).toBe(`${pos.baseUrl}/orders/${body.orderId}`);
    expect((await call(`/orders/${body.orderId}`)).body).toEqual(body);
    expect((await call('/orders/ord-404')).status).toBe(404);
  });

  it('moves an order along its statuses, keeping the history', async () => {
    const { body } = await createOrder();
    for (const status of ['accepted', 'preparing', 'ready', 'completed']) {
      expect((await setStatus(body.orderId, status)).status).toBe(200);
    }
    const order = pos.orders.get(body.orderId);
    expect(order?.history.map((h) => h.status)).toEqual([
      'received',
      'accepted',
      'preparing',
      'ready',
      'completed',
    ]);
  });

  it('treats setting the current status again as a no-op', async () => {
    const { body } = await createOrder();
    await setStatus(body.orderId, 'rejected');
    expect((await setStatus(body.orderId, 'rejected')).status).toBe(200);
    expect(pos.sideEffects.map((e) => e.operationId)).toEqual(['createOrder', 'updateOrderStatus']);
  });

  it('refuses an illegal status change with 409 and an unknown status with 400', async () => {
    const { body } = await createOrder();
    await setStatus(body.orderId, 'rejected');
    expect((await setStatus(body.orderId, 'accepted')).status).toBe(409);
    expect((await setStatus(body.orderId, 'lost')).status).toBe(400);
  });

  it('lists orders filtered by status', async () => {
    const first = await createOrder();
    await createOrder();
    await setStatus(first.body.orderId, 'accepted');
    const { body } = await call<PosOrder[]>('/orders?status=accepted');
    expect(body.map((o) => o.orderId)).toEqual([first.body.orderId]);
  });

  it('creates one order for a repeated Idempotency-Key', async () => {
    const first = await createOrder({ 'idempotency-key': 'exec-3:/do/0:1' });
    const again = await createOrder({ 'idempotency-key': 'exec-3:/do/0:1' });
    expect(again.body).toEqual(first.body);
    expect(pos.orders.size).toBe(1);
    expect(pos.sideEffects).toHaveLength(1);
  });
});
