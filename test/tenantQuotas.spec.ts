import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../contracts/index.js';
import { eventually } from './support/eventually.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * The tier's limits as a tenant meets them on the real platform: quotas on workflows and
 * executions (429 naming the limit, `QuotaExceeded` in the log), the per-minute request budget
 * (429 with `Retry-After` and `RateLimit-*`), and suspension (403), each for one account only.
 */
let platform: TestPlatform;

async function tokenFor(accountId: string, role: Role = 'owner'): Promise<string> {
  return platform.devIssuer!.sign({
    accountId,
    roles: [role],
    userId: 'quota-user',
    ttlSeconds: 600,
  });
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
  };
}

const document = (name: string) => `
document: { dsl: '1.0.3', namespace: quotas, name: ${name}, version: '1.0.0' }
do:
  - pause: { wait: { minutes: 10 } }
`;

async function createWorkflow(token: string, name: string) {
  return call(token, 'POST', '/v1/workflows', { document: document(name) });
}

/** Waits until the usage projection shows `count` of a resource for the account. */
async function usageReaches(token: string, accountId: string, resource: string, count: number) {
  await eventually(async () => {
    const usage = await call(token, 'GET', `/v1/tenants/${accountId}/usage`);
    const resources = usage.body?.resources as Record<string, { used: number }> | undefined;
    return resources?.[resource]?.used === count ? true : undefined;
  });
}

beforeAll(async () => {
  platform = await startTestPlatform('embedded', {
    AWP_TIER_LIMITS: JSON.stringify({
      free: {
        workflows: 2,
        executionsPerMonth: 3,
        concurrentExecutions: 2,
        apiRequestsPerMinute: 30,
      },
    }),
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('quotas', () => {
  it('refuses a workflow past the tier’s limit with 429 naming it, and records QuotaExceeded', async () => {
    const token = await tokenFor('quota-wf');
    expect((await createWorkflow(token, 'one')).status).toBe(201);
    expect((await createWorkflow(token, 'two')).status).toBe(201);
    await usageReaches(token, 'quota-wf', 'workflows', 2);
    const refused = await createWorkflow(token, 'three');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ field: 'workflows' });
    expect(String(refused.body?.detail)).toContain('2/2 workflows');
    // Another account of the same tier is not affected.
    expect((await createWorkflow(await tokenFor('quota-other'), 'one')).status).toBe(201);

    const notice = await eventually(async () => {
      const log = await fetch(
        `${platform.url}/v1/admin/events?type=QuotaExceeded&account=quota-wf`,
      );
      const { events } = (await log.json()) as { events: Array<{ data: Record<string, unknown> }> };
      return events[0];
    });
    expect(notice.data).toMatchObject({ resourceType: 'workflows', usage: 2, limit: 2 });
  });

  it('refuses executions past the concurrent limit, then past the monthly one', async () => {
    const token = await tokenFor('quota-ex');
    const created = await createWorkflow(token, 'waits');
    const workflowId = created.body?.workflowId as string;
    const start = () =>
      call(token, 'POST', `/v1/workflows/${workflowId}/executions`, { input: {} });
    const first = await start();
    expect(first.status).toBe(202);
    expect((await start()).status).toBe(202);
    await usageReaches(token, 'quota-ex', 'concurrentExecutions', 2);
    const busy = await start();
    expect(busy.status).toBe(429);
    expect(busy.body).toMatchObject({ field: 'concurrentExecutions' });

    // One ends; a third may start, and then the month's budget of 3 is spent.
    const cancelled = await call(
      token,
      'POST',
      `/v1/executions/${first.body?.executionId as string}/cancel`,
      {},
    );
    expect(cancelled.status).toBe(200);
    await usageReaches(token, 'quota-ex', 'concurrentExecutions', 1);
    expect((await start()).status).toBe(202);
    await usageReaches(token, 'quota-ex', 'executionsPerMonth', 3);
    const spent = await start();
    expect(spent.status).toBe(429);
    expect(spent.body).toMatchObject({ field: 'executionsPerMonth' });
  });
});

describe('the per-minute request budget', () => {
  it('answers with RateLimit-* headers, then 429 with Retry-After past the budget, per account', async () => {
    const token = await tokenFor('busy-co', 'viewer');
    const first = await call(token, 'GET', '/v1/workflows');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('30');
    expect(first.headers.get('ratelimit-remaining')).toBe('29');
    expect(first.headers.get('ratelimit-policy')).toBe('30;w=60');
    const statuses = [];
    for (let i = 0; i < 35; i++) statuses.push((await call(token, 'GET', '/v1/workflows')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    const refused = await call(token, 'GET', '/v1/workflows');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // The budget is the account's: another account goes on.
    expect((await call(await tokenFor('calm-co', 'viewer'), 'GET', '/v1/workflows')).status).toBe(
      200,
    );
  });
});

describe('suspension', () => {
  it('refuses every request of a suspended tenant with 403 until it is reactivated', async () => {
    const created = await fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Pro: the polling below must not run into the free tier's small test budget.
      body: JSON.stringify({ name: 'Suspended Sushi', tier: 'pro' }),
    });
    expect(created.status).toBe(201);
    const { accountId } = (await created.json()) as { accountId: string };
    const token = await tokenFor(accountId, 'viewer');
    await eventually(async () =>
      (await call(token, 'GET', `/v1/tenants/${accountId}`)).status === 200 ? true : undefined,
    );

    const suspend = await fetch(`${platform.url}/v1/admin/tenants/${accountId}/suspend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'unpaid invoice' }),
    });
    expect(suspend.status).toBe(200);
    const refused = await eventually(async () => {
      const response = await call(token, 'GET', '/v1/workflows');
      return response.status === 403 ? response : undefined;
    });
    expect(String(refused.body?.detail)).toContain('suspended');

    const reactivate = await fetch(`${platform.url}/v1/admin/tenants/${accountId}/reactivate`, {
      method: 'POST',
    });
    expect(reactivate.status).toBe(200);
    await eventually(async () =>
      (await call(token, 'GET', '/v1/workflows')).status === 200 ? true : undefined,
    );
  });
});
