import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccountAuthenticator } from '../gateway/index.js';
import { eventually } from './support/eventually.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { ProfileName, TestPlatform } from './support/testPlatform.js';

type Json = Record<string, unknown>;

/** A client of one platform: the operator on loopback, or a tenant named by X-AWP-Account. */
function clientOf(platform: () => TestPlatform) {
  const call = (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${platform().url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...options.headers },
      ...(options.body === undefined
        ? {}
        : {
            body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
          }),
    });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    call('POST', '/v1/tenants', { body, headers });
  const get = (path: string, headers: Record<string, string> = {}) =>
    call('GET', path, { headers });
  const asTenant = (accountId: string) => ({ 'x-awp-account': accountId });
  /** The operator's view once the read model satisfies `ready` (by default: the tenant exists). */
  const visible = (accountId: string, ready: (tenant: Json) => boolean = () => true) =>
    eventually(async () => {
      const response = await get(`/v1/admin/tenants/${accountId}`);
      if (response.status !== 200) return undefined;
      const tenant = (await response.json()) as Json;
      return ready(tenant) ? tenant : undefined;
    });
  async function createTenant(name: string, tier?: string): Promise<string> {
    const response = await post(tier === undefined ? { name } : { name, tier });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { accountId: string }).accountId;
  }
  return { call, post, get, asTenant, visible, createTenant };
}

/**
 * The first vertical slice, end to end over a real HTTP port: POST → decider → event store +
 * outbox → relay → bus → projection → read model → GET. The same suite runs on both profiles,
 * with the interim `X-AWP-Account` authenticator standing in for a verified identity.
 */
function tenantSliceSuite(profile: ProfileName, env: Record<string, string> = {}): void {
  let platform: TestPlatform;
  const { call, post, get, asTenant, visible, createTenant } = clientOf(() => platform);

  beforeAll(async () => {
    platform = await startTestPlatform(profile, env, { authenticator: devAccountAuthenticator });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  describe('creation and listing (operator)', () => {
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
        status: 'active',
        suspendedReason: null,
        version: 1,
      });
    });

    it('defaults the tier to free', async () => {
      expect(await visible(await createTenant('Small Bakery'))).toMatchObject({ tier: 'free' });
    });

    it('offers the tiers free, pro and enterprise, and no longer standard', async () => {
      expect(await visible(await createTenant('Pro Pantry', 'pro'))).toMatchObject({ tier: 'pro' });
      const standard = await post({ name: 'Standard Shop', tier: 'standard' });
      expect(standard.status).toBe(400);
      expect(await standard.json()).toMatchObject({
        field: 'tier',
        detail: "invalid tenant: 'tier' must be one of free, pro, enterprise",
      });
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
      const responses = await Promise.all([
        post({ name: 'Race Cafe' }),
        post({ name: 'race cafe' }),
      ]);
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
      const wrongType = await post({ name: 42 });
      expect(await wrongType.json()).toMatchObject({ status: 400, field: 'name' });
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

    it('lists tenants page by page', async () => {
      const ids: string[] = [];
      for (const name of ['Page One', 'Page Two', 'Page Three']) ids.push(await createTenant(name));
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
      expect((await get('/v1/tenants?status=deleted')).status).toBe(400);
      expect((await get('/v1/tenants?sort=name')).status).toBe(400);
    });
  });

  describe('suspension, reactivation and tiers (operator)', () => {
    const admin = (accountId: string, action: string, method = 'POST', body?: unknown) =>
      call(method, `/v1/admin/tenants/${accountId}/${action}`, { body });

    it('suspends a tenant with a reason and reactivates it', async () => {
      const accountId = await createTenant('Suspended Sandwiches');
      const suspended = await admin(accountId, 'suspend', 'POST', { reason: 'invoice unpaid' });
      expect(suspended.status).toBe(200);
      expect(await suspended.json()).toMatchObject({
        accountId,
        status: 'suspended',
        suspendedReason: 'invoice unpaid',
        version: 2,
      });
      expect(await visible(accountId, (t) => t.version === 2)).toMatchObject({
        status: 'suspended',
        suspendedReason: 'invoice unpaid',
      });

      const again = await admin(accountId, 'suspend', 'POST', { reason: 'twice' });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({
        detail: `tenant '${accountId}' is already suspended`,
      });

      const reactivated = await admin(accountId, 'reactivate');
      expect(reactivated.status).toBe(200);
      expect(await reactivated.json()).toMatchObject({ status: 'active', version: 3 });
      expect(await visible(accountId, (t) => t.version === 3)).toMatchObject({
        status: 'active',
        suspendedReason: null,
      });
      const notSuspended = await admin(accountId, 'reactivate', 'POST', {});
      expect(notSuspended.status).toBe(409);
    });

    it('lists the suspended tenants', async () => {
      const accountId = await createTenant('Listed Suspension');
      await admin(accountId, 'suspend', 'POST', { reason: 'abuse' });
      await visible(accountId, (t) => t.status === 'suspended');
      const page = (await (await get('/v1/tenants?status=suspended&limit=200')).json()) as {
        items: Json[];
      };
      expect(page.items.map((t) => t.accountId)).toContain(accountId);
      expect(page.items.every((t) => t.status === 'suspended')).toBe(true);
    });

    it('changes the tier, and answers a repeated PUT without a new version', async () => {
      const accountId = await createTenant('Tiered Tacos');
      const changed = await admin(accountId, 'tier', 'PUT', { tier: 'enterprise' });
      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({ tier: 'enterprise', version: 2 });
      expect(await visible(accountId, (t) => t.version === 2)).toMatchObject({
        tier: 'enterprise',
      });
      const repeated = await admin(accountId, 'tier', 'PUT', { tier: 'enterprise' });
      expect(repeated.status).toBe(200);
      expect(await repeated.json()).toMatchObject({ tier: 'enterprise', version: 2 });
    });

    it('refuses a bad tier with 400 naming the field', async () => {
      const accountId = await createTenant('Bad Tier Bistro');
      for (const body of [{ tier: 'platinum' }, { tier: 'standard' }, { tier: 3 }, {}]) {
        const response = await admin(accountId, 'tier', 'PUT', body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(await response.json()).toMatchObject({ field: 'tier' });
      }
      const extra = await admin(accountId, 'tier', 'PUT', { tier: 'pro', note: 'x' });
      expect(extra.status).toBe(400);
      expect((await admin(accountId, 'tier', 'PUT', '{"tier":')).status).toBe(400);
    });

    it('refuses a bad suspension: no, blank, wrong-typed or oversized reason, bad JSON', async () => {
      const accountId = await createTenant('Bad Reason Bar');
      for (const body of [{}, { reason: '  ' }, { reason: 42 }, { reason: 'x'.repeat(501) }]) {
        const response = await admin(accountId, 'suspend', 'POST', body);
        expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(400);
        expect(await response.json()).toMatchObject({ field: 'reason' });
      }
      expect((await admin(accountId, 'suspend', 'POST', { reason: 'x', by: 'me' })).status).toBe(
        400,
      );
      expect((await admin(accountId, 'suspend', 'POST', '{"reason":')).status).toBe(400);
      expect((await admin(accountId, 'suspend', 'POST', '"unpaid"')).status).toBe(400);
      const longest = await admin(accountId, 'suspend', 'POST', { reason: 'x'.repeat(500) });
      expect(longest.status).toBe(200);
    });

    it('refuses a reactivation with a body it does not understand', async () => {
      const accountId = await createTenant('Odd Body Diner');
      expect((await admin(accountId, 'reactivate', 'POST', { force: true })).status).toBe(400);
      expect((await admin(accountId, 'reactivate', 'POST', '{"force":')).status).toBe(400);
    });

    it('answers 404 for an unknown tenant and 400 for a malformed id', async () => {
      const unknown = '01900000-0000-7000-8000-000000000000';
      const missing = `tenant '${unknown}' does not exist`;
      for (const response of [
        await get(`/v1/admin/tenants/${unknown}`),
        await admin(unknown, 'suspend', 'POST', { reason: 'r' }),
        await admin(unknown, 'reactivate'),
        await admin(unknown, 'tier', 'PUT', { tier: 'pro' }),
      ]) {
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ detail: missing });
      }
      for (const response of [
        await get('/v1/admin/tenants/not-a-uuid'),
        await admin('not-a-uuid', 'suspend', 'POST', { reason: 'r' }),
        await admin('not-a-uuid', 'tier', 'PUT', { tier: 'pro' }),
      ]) {
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ field: 'accountId' });
      }
    });
  });

  describe('a tenant reading itself', () => {
    it('reads its own record, and gets 404 for any other account', async () => {
      const own = await createTenant('Self Service Subs');
      const other = await createTenant('Other Oven');
      await visible(own);
      await visible(other);
      const response = await get(`/v1/tenants/${own}`, asTenant(own));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accountId: own, name: 'Self Service Subs' });
      const foreign = await get(`/v1/tenants/${other}`, asTenant(own));
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toMatchObject({ detail: `tenant '${other}' does not exist` });
      const unknown = '01900000-0000-7000-8000-000000000000';
      expect((await get(`/v1/tenants/${unknown}`, asTenant(own))).status).toBe(404);
    });

    it('needs an account: 401 without one; any other id, well-formed or not, is 404', async () => {
      const own = await createTenant('Anonymous Attempt');
      expect((await get(`/v1/tenants/${own}`)).status).toBe(401);
      // Not 400: telling malformed ids from others' ids would tell which ids can exist.
      expect((await get('/v1/tenants/not-a-uuid', asTenant(own))).status).toBe(404);
      expect((await get(`/v1/tenants/${'x'.repeat(201)}`, asTenant(own))).status).toBe(400);
    });

    it('reads its usage against every limit of its tier', async () => {
      const own = await createTenant('Usage Umami', 'pro');
      await visible(own);
      const response = await get(`/v1/tenants/${own}/usage`, asTenant(own));
      expect(response.status).toBe(200);
      const usage = (await response.json()) as Json;
      expect(usage).toMatchObject({
        accountId: own,
        tier: 'pro',
        status: 'active',
        month: new Date().toISOString().slice(0, 7),
        resources: {
          workflows: { used: 0, limit: 200 },
          executionsPerMonth: { used: 0, limit: 100_000 },
          concurrentExecutions: { used: 0, limit: 50 },
          llmTokensPerMonth: { used: 0, limit: 5_000_000 },
          apiRequestsPerMinute: { used: null, limit: 600 },
        },
      });
    });

    it('counts the workflows the account creates in its usage', async () => {
      const account = 'usage-counter';
      const created = await call('POST', '/v1/workflows', {
        headers: asTenant(account),
        body: {
          document: `document: { dsl: '1.0.3', namespace: usage, name: counted, version: '1.0.0' }
do:
  - done:
      set: { ok: true }
`,
        },
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const usage = await eventually(async () => {
        const report = (await (
          await get(`/v1/tenants/${account}/usage`, asTenant(account))
        ).json()) as { resources: { workflows: { used: number } } };
        return report.resources.workflows.used === 1 ? report : undefined;
      });
      expect(usage).toMatchObject({ tier: 'free', status: 'active' });
    });

    it('keeps its usage to itself: 404 for another account, 401 without one', async () => {
      const own = await createTenant('Private Usage');
      const other = await createTenant('Curious Neighbour');
      expect((await get(`/v1/tenants/${other}/usage`, asTenant(own))).status).toBe(404);
      expect((await get(`/v1/tenants/${own}/usage`)).status).toBe(401);
      const malformed = await get('/v1/tenants/Not%20An%20Id/usage', asTenant(own));
      expect(malformed.status).toBe(404);
    });
  });

  describe('the platform around the slice', () => {
    it('carries the caller trace id as the correlation id', async () => {
      const traceId = 'aaaabbbbccccddddeeeeffff00001111';
      const response = await post(
        { name: 'Traced Tavern' },
        { traceparent: `00-${traceId}-1111222233334444-01` },
      );
      expect(response.headers.get('traceparent')).toContain(traceId);
    });

    it('exposes the lag of the tenants projection as a metric', async () => {
      await visible(await createTenant('Metric Mill'));
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
  });
}

describe('tenant slice on the embedded profile', () => {
  tenantSliceSuite('embedded');
});

describe('tenant operator routes with AWP_ADMIN_TOKEN set', () => {
  const token = 'operator-token-0123456789';
  let platform: TestPlatform;
  const { call } = clientOf(() => platform);
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  const someone = '01900000-0000-7000-8000-000000000000';
  const routes: Array<[string, string, unknown]> = [
    ['POST', '/v1/tenants', { name: 'Guarded Grill' }],
    ['GET', '/v1/tenants', undefined],
    ['GET', `/v1/admin/tenants/${someone}`, undefined],
    ['POST', `/v1/admin/tenants/${someone}/suspend`, { reason: 'r' }],
    ['POST', `/v1/admin/tenants/${someone}/reactivate`, undefined],
    ['PUT', `/v1/admin/tenants/${someone}/tier`, { tier: 'pro' }],
  ];

  beforeAll(async () => {
    platform = await startTestPlatform('embedded', { AWP_ADMIN_TOKEN: token });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it.each(routes)(
    'refuses %s %s without the token or with a wrong one',
    async (method, path, body) => {
      const anonymous = await call(method, path, { body });
      expect(anonymous.status).toBe(401);
      const wrong = await call(method, path, { body, headers: bearer('not-the-token') });
      expect(wrong.status).toBe(401);
      // A tenant's own identity is no operator either.
      const tenant = await call(method, path, { body, headers: { 'x-awp-account': someone } });
      expect(tenant.status).toBe(401);
    },
  );

  it('serves the operator presenting the token', async () => {
    const created = await call('POST', '/v1/tenants', {
      body: { name: 'Token Trattoria' },
      headers: bearer(token),
    });
    expect(created.status).toBe(201);
    const { accountId } = (await created.json()) as { accountId: string };
    const suspended = await call('POST', `/v1/admin/tenants/${accountId}/suspend`, {
      body: { reason: 'test' },
      headers: bearer(token),
    });
    expect(suspended.status).toBe(200);
    expect((await call('GET', '/v1/tenants', { headers: bearer(token) })).status).toBe(200);
  });
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
