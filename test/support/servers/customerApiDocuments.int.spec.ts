import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from './fetchJson.js';
import { startInventoryApi } from './inventoryApi.js';
import { startKitchenApi } from './kitchenApi.js';
import { startPosApi } from './posApi.js';

interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
  security?: unknown[];
  components: { schemas: Record<string, unknown> };
}

/** The operationIds the engine's tests are expected to call, per API. */
const expectedOperations = {
  kitchen: ['getCapacity', 'scheduleOrder', 'getSchedule', 'cancelSchedule'],
  inventory: [
    'listStock',
    'getStockLevel',
    'checkStock',
    'reserveStock',
    'getReservation',
    'releaseReservation',
  ],
  pos: ['createOrder', 'listOrders', 'getOrder', 'updateOrderStatus'],
};

const apis = { kitchen: startKitchenApi, inventory: startInventoryApi, pos: startPosApi };
const started: { baseUrl: string; close(): Promise<void> }[] = [];
const baseUrls: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, start] of Object.entries(apis)) {
    const api = await start();
    started.push(api);
    baseUrls[name] = api.baseUrl;
  }
});
afterAll(() => Promise.all(started.map((api) => api.close())));

describe.each(Object.keys(expectedOperations) as (keyof typeof expectedOperations)[])(
  'the %s API OpenAPI document',
  (name) => {
    const documentOf = async () =>
      (await fetchJson<OpenApiDocument>(`${baseUrls[name]}/openapi.json`)).body;

    it('is OpenAPI 3.0 served at /openapi.json with its own base URL as server', async () => {
      const doc = await documentOf();
      expect(doc.openapi).toMatch(/^3\.0\./);
      expect(doc.servers).toEqual([{ url: baseUrls[name] }]);
    });

    it('names every operation, each once, and has each operation the tests call', async () => {
      const doc = await documentOf();
      const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
      const ids = operations.map((o) => o.operationId);
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...expectedOperations[name]].sort());
    });

    it('requires credentials for at least one operation', async () => {
      const doc = await documentOf();
      const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
      expect(operations.some((o) => (o.security ?? doc.security ?? []).length > 0)).toBe(true);
    });

    it('defines every schema it refers to', async () => {
      const doc = await documentOf();
      const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
      for (const ref of new Set(refs)) {
        expect(doc.components.schemas).toHaveProperty(ref.split('/').at(-1) as string);
      }
    });
  },
);
