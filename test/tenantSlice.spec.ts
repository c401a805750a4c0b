import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { ProfileName, TestPlatform } from './support/testPlatform.js';

/**
 * The first vertical slice, end to end over a real HTTP port: POST → decider → event store +
 * outbox → relay → bus → projection → read model → GET. The same suite runs on both profiles.
 */
function tenantSliceSuite(profile: ProfileName, env: Record<string, string> = {}): void {
  let platform: TestPlatform;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string) => fetch(`${platform.url}${path}`);
  const visible = (accountId: string) =>
    eventually(async () => {
      const response = await get(`/v1/tenants/${accountId}`);
      return response.status === 200
        ? ((await response.json()) as Record<string, unknown>)
        : undefined;
    });

  beforeAll(async () => {
    platform = await startTestPlatform(profile, env);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('creates a tenant and shows it in the read model', async () => {
    const response = await post({ name: 'Acme Foods', tier: 'enterprise' });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { accountId: string };
    expect(response.headers.get('location')).toBe(`/v1/tenants/${created.accountId}`);
    const tenant = await visible(created.accountId);
    expect(tenant).toMatchObject({
      accountId: created.accountId,
      name: 'Acme Foods',
      tier: 'enterprise',
      version: 1,
    });
  });

  it('defaults the tier to free', async () => {
    const created = (await (await post({ name: 'Small Bakery' })).json()) as { accountId: string };
    expect(await visible(created.accountId)).toMatchObject({ tier: 'free' });
  });

  it('refuses a duplicate name, whatever its case, with 409', async () => {
    expect((await post({ name: 'Duplicate Diner' })).status).toBe(201);
    const response = await post({ name: 'DUPLICATE diner' });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      detail: "a tenant named 'DUPLICATE diner' already exists",
    });
  });

  it('lets exactly one of two concurrent creations with the same name win', async () => {
    const responses = await Promise.all([post({ name: 'Race Cafe' }), post({ name: 'race cafe' })]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('refuses an invalid body with 400 naming the field', async () => {
    const response = await post({ name: 'Valid', tier: 'platinum' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: 'tier' });
    const missing = await post({ tier: 'free' });
    expect(await missing.json()).toMatchObject({ status: 400, field: 'name' });
    const blank = await post({ name: '   ' });
    expect(await blank.json()).toMatchObject({ status: 400, field: 'name' });
    const extra = await post({ name: 'Extra', admin: true });
    expect(extra.status).toBe(400);
  });

  it('refuses malformed JSON, oversized bodies and oversized names', async () => {
    expect((await post('{"name":')).status).toBe(400);
    const huge = await post({ name: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    const notJson = await post('name=acme', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(notJson.status).toBe(415);
    const long = await post({ name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ field: 'name' });
  });

  it('answers 404 for an unknown tenant and 400 for a malformed id', async () => {
    const unknown = await get('/v1/tenants/01900000-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const malformed = await get('/v1/tenants/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ field: 'accountId' });
  });

  it('lists tenants page by page', async () => {
    const names = ['Page One', 'Page Two', 'Page Three'];
    const ids: string[] = [];
    for (const name of names) {
      const created = (await (await post({ name })).json()) as { accountId: string };
      ids.push(created.accountId);
    }
    for (const id of ids) await visible(id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&after=${cursor}` : '?limit=2';
      const page = (await (await get(`/v1/tenants${query}`)).json()) as {
        items: { accountId: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.accountId));
      cursor = page.nextCursor;
    } while (cursor);
    for (const id of ids) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await get('/v1/tenants?limit=0')).status).toBe(400);
  });

  it('carries the caller trace id as the correlation id', async () => {
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    const response = await post(
      { name: 'Traced Tavern' },
      { traceparent: `00-${traceId}-1111222233334444-01` },
    );
    expect(response.headers.get('traceparent')).toContain(traceId);
  });

  it('exposes the lag of the tenants projection as a metric', async () => {
    const created = (await (await post({ name: 'Metric Mill' })).json()) as { accountId: string };
    await visible(created.accountId);
    await eventually(async () => {
      const metrics = await (await get('/metrics')).text();
      return /awp_projection_lag_messages\{projection="platform.tenants"\} 0\b/.test(metrics)
        ? true
        : undefined;
    });
  });

  it('reports itself ready on every dependency', async () => {
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', bus: 'ok', cache: 'ok' },
    });
  });
}

describe('tenant slice on the embedded profile', () => {
  tenantSliceSuite('embedded');
});

describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'tenant slice on real PostgreSQL, Kafka (@platformatic/kafka, the default) and Redis',
  () => {
    it('runs on the distributed adapters', async () => {
      const platform = await startTestPlatform('distributed');
      expect(platform.profile).toEqual({
        database: 'postgres',
        bus: 'kafka (platformatic)',
        cache: 'redis',
      });
      await platform.stop();
    });
    tenantSliceSuite('distributed');
  },
);

describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'tenant slice on real PostgreSQL, Kafka (kafkajs, AWP_KAFKA_CLIENT=kafkajs) and Redis',
  () => {
    tenantSliceSuite('distributed', { AWP_KAFKA_CLIENT: 'kafkajs' });
  },
);
