import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchJson } from './fetchJson.js';
import { startInventoryApi } from './inventoryApi.js';
import type { InventoryApi, Reservation } from './inventoryApi.js';

let inventory: InventoryApi;
beforeEach(async () => {
  inventory = await startInventoryApi({
    stock: [
      { sku: 'bun', name: 'Brioche bun', onHand: 5 },
      { sku: 'patty', name: 'Beef patty', onHand: 2 },
    ],
  });
});
afterEach(() => inventory.close());

const call = <T>(path: string, init: { method?: string; body?: unknown } = {}, key?: string) =>
  fetchJson<T>(`${inventory.baseUrl}${path}`, {
    ...init,
    headers: {
      'x-api-key': inventory.apiKey,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
  });
const reserve = (items: { sku: string; quantity: number }[], key?: string) =>
  call<Reservation>('/reservations', { method: 'POST', body: { orderId: 'ord-1', items } }, key);

describe('the Inventory API stand-in', () => {
  it('refuses a request without the API key', async () => {
    const { status } = await fetchJson(`${inventory.baseUrl}/stock`);
    expect(status).toBe(401);
  });

  it('reports stock levels per item, and 404 for an unknown one', async () => {
    expect((await call('/stock/bun')).body).toEqual({
      sku: 'bun',
      name: 'Brioche bun',
      onHand: 5,
      reserved: 0,
      available: 5,
    });
    expect((await call('/stock/caviar')).status).toBe(404);
    expect((await call<{ items: unknown[] }>('/stock')).body.items).toHaveLength(2);
  });

  it('checks an order against stock, adding up lines of the same item', async () => {
    const items = [
      { sku: 'patty', quantity: 2 },
      { sku: 'patty', quantity: 1 },
      { sku: 'caviar', quantity: 1 },
    ];
    const { body } = await call('/stock/check', { method: 'POST', body: { items } });
    expect(body).toEqual({
      available: false,
      shortages: [
        { sku: 'patty', requested: 3, available: 2 },
        { sku: 'caviar', requested: 1, available: 0 },
      ],
    });
    expect(inventory.sideEffects).toEqual([]);
  });

  it('reserves stock, and releasing gives it back once', async () => {
    const { status, body } = await reserve([{ sku: 'bun', quantity: 2 }]);
    expect(status).toBe(201);
    expect((await call('/stock/bun')).body).toMatchObject({ reserved: 2, available: 3 });
    for (let i = 0; i < 2; i++) {
      const released = await call(`/reservations/${body.reservationId}`, { method: 'DELETE' });
      expect(released.body).toMatchObject({ status: 'released' });
    }
    expect((await call('/stock/bun')).body).toMatchObject({ reserved: 0, available: 5 });
    expect(inventory.sideEffects.map((e) => e.operationId)).toEqual([
      'reserveStock',
      'releaseReservation',
    ]);
  });

  it('reserves nothing when one item is short, listing the shortages', async () => {
    const { status, body } = await reserve([
      { sku: 'bun', quantity: 1 },
      { sku: 'patty', quantity: 3 },
    ]);
    expect(status).toBe(409);
    expect(body).toMatchObject({ shortages: [{ sku: 'patty', requested: 3, available: 2 }] });
    expect(inventory.stock.get('bun')?.reserved).toBe(0);
    expect(inventory.sideEffects).toEqual([]);
  });

  it('replays a reservation for a repeated Idempotency-Key instead of reserving twice', async () => {
    const first = await reserve([{ sku: 'patty', quantity: 2 }], 'exec-7:/do/1:1');
    const again = await reserve([{ sku: 'patty', quantity: 2 }], 'exec-7:/do/1:1');
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(inventory.stock.get('patty')?.reserved).toBe(2);
    expect(inventory.sideEffects).toHaveLength(1);
  });
});
