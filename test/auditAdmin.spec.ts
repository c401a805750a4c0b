import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { ProfileName, TestPlatform } from './support/testPlatform.js';

const adminToken = 'test-admin-token-0123456789';

/**
 * The audit and replay API behind `awp events …` and `awp projections …`, over real HTTP on
 * both profiles: filtering, paging, stream reads, projection status and rebuilds, and every
 * kind of bad request.
 */
function auditAdminSuite(profile: ProfileName): void {
  let platform: TestPlatform;
  const auth = { authorization: `Bearer ${adminToken}` };
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}/v1/admin${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
  const createTenant = async (name: string) => {
    const response = await fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { accountId: string }).accountId;
  };
  const tenantCount = async () => {
    let count = 0;
    let after: string | null = null;
    do {
      const response = await fetch(
        `${platform.url}/v1/tenants?limit=200${after ? `&after=${after}` : ''}`,
        { headers: auth },
      );
      const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      count += page.items.length;
      after = page.nextCursor;
    } while (after);
    return count;
  };
  const accounts: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform(profile, { AWP_ADMIN_TOKEN: adminToken });
    for (let i = 0; i < 5; i++) accounts.push(await createTenant(`Audit ${profile} ${i}`));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('lists events of one account, with cursors to page on', async () => {
    const response = await admin(`/events?account=${accounts[2]}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      events: Array<Record<string, unknown>>;
      next: string;
      more: boolean;
    };
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({
      type: 'TenantCreated',
      accountId: accounts[2],
      streamId: `tenant-${accounts[2]}`,
      streamVersion: 1,
      topic: 'awp.platform.events',
      data: { accountName: `Audit ${profile} 2`, tier: 'free' },
    });
    expect(page.more).toBe(false);
  });

  it('pages through the whole log in commit order without repeating an event', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const response = await admin(
        `/events?type=TenantCreated&limit=2${after ? `&after=${after}` : ''}`,
      );
      const page = (await response.json()) as {
        events: Array<{ eventId: string; accountId: string }>;
        next: string;
        more: boolean;
      };
      seen.push(...page.events.map((e) => e.accountId));
      after = page.next;
      if (!page.more) break;
    }
    expect(seen).toEqual(accounts);
  });

  it('filters by time range', async () => {
    const future = await admin('/events?from=2999-01-01T00:00:00Z');
    expect(((await future.json()) as { events: unknown[] }).events).toEqual([]);
    const past = await admin(`/events?to=2999-01-01T00:00:00Z&account=${accounts[0]}`);
    expect(((await past.json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  it('starts at the end of the log with after=head', async () => {
    const head = (await (await admin('/events?after=head')).json()) as {
      events: unknown[];
      next: string;
    };
    expect(head.events).toEqual([]);
    const late = await createTenant(`Audit ${profile} late`);
    accounts.push(late);
    await eventually(async () => {
      const page = (await (await admin(`/events?after=${head.next}`)).json()) as {
        events: Array<{ accountId: string }>;
      };
      return page.events.length === 1 && page.events[0]?.accountId === late ? true : undefined;
    });
  });

  it('reads one stream, and names an unknown stream', async () => {
    const stream = (await (await admin(`/streams/tenant-${accounts[0]}/events`)).json()) as {
      version: number;
      events: Array<{ type: string }>;
    };
    expect(stream.version).toBe(1);
    expect(stream.events.map((e) => e.type)).toEqual(['TenantCreated']);
    const missing = await admin('/streams/tenant-nobody/events');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ detail: "stream 'tenant-nobody' has no events" });
  });

  it('lists projections with their checkpoint and lag', async () => {
    await eventually(async () => {
      const body = (await (await admin('/projections')).json()) as {
        projections: Array<{ name: string; eventsApplied: number; lag: number | null }>;
      };
      const tenants = body.projections.find((p) => p.name === 'platform.tenants');
      return tenants?.eventsApplied === accounts.length && tenants.lag === 0 ? true : undefined;
    });
  });

  it('rebuilds a projection from zero without losing events appended meanwhile', async () => {
    expect(await tenantCount()).toBeGreaterThanOrEqual(accounts.length);
    const before = await tenantCount();
    const rebuilding = admin('/projections/platform.tenants/rebuild', { method: 'POST' });
    const during = await Promise.all(
      [1, 2, 3].map((i) => createTenant(`Audit ${profile} during ${i}`)),
    );
    const response = await rebuilding;
    expect(response.status).toBe(200);
    const { replayed } = (await response.json()) as { replayed: number };
    expect(replayed).toBeGreaterThanOrEqual(before);
    await eventually(async () =>
      (await tenantCount()) === before + during.length ? true : undefined,
    );
    const status = (await (await admin('/projections')).json()) as {
      projections: Array<{ name: string; eventsApplied: number }>;
    };
    // Every event applied exactly once since the reset: replayed ones plus those after it.
    expect(status.projections.find((p) => p.name === 'platform.tenants')?.eventsApplied).toBe(
      before + during.length,
    );
  });

  it('names an unknown projection', async () => {
    const response = await admin('/projections/nope/rebuild', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      detail:
        "no projection named 'nope' (known: agent.conversation-owners, conversation.messages, conversation.summaries, platform.tenants, platform.usage, workflow.definitions)",
    });
  });

  it.each([
    ['a cursor it did not issue', '/events?after=12;DROP', 'after'],
    ['a page too large', '/events?limit=100000', 'limit'],
    ['a malformed instant', '/events?from=yesterday', 'from'],
    ['an empty range', '/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['an oversized account id', `/events?account=${'a'.repeat(500)}`, 'account'],
    ['an unknown parameter', '/events?acount=x', '(root)'],
  ])('refuses %s with 400 naming the field', async (_label, path, field) => {
    const response = await admin(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('refuses a missing or wrong admin token with 401, revealing nothing', async () => {
    const missing = await fetch(`${platform.url}/v1/admin/events`);
    expect(missing.status).toBe(401);
    const wrong = await fetch(`${platform.url}/v1/admin/events`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain(adminToken);
  });
}

describe('audit and replay API (embedded profile)', () => {
  auditAdminSuite('embedded');
});

describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'audit and replay API (distributed profile)',
  () => {
    auditAdminSuite('distributed');
  },
);
