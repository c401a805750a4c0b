import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../contracts/index.js';
import { createTenantDirectory } from './tenantDirectory.js';
import { defaultTierLimits } from './tierLimits.js';

/** A database answering the tenant lookup from a map, counting the queries it gets. */
function fakeTenants(rows: Map<string, { tier: string; status: string }>) {
  const db = {
    queries: 0,
    failNext: false,
    async query(_sql: string, params: readonly unknown[] = []) {
      db.queries++;
      if (db.failNext) {
        db.failNext = false;
        throw new Error('connection reset');
      }
      const row = rows.get(params[0] as string);
      const full = row && {
        account_id: params[0],
        name: 'Acme',
        suspended_reason: null,
        created_at: new Date(0),
        version: 1,
        ...row,
      };
      return { rows: full ? [full] : [], rowCount: full ? 1 : 0 };
    },
  };
  return db as typeof db & Queryable;
}

const clockAt = (start: number) => {
  const clock = { ms: start, now: () => new Date(clock.ms) };
  return clock;
};

describe('tenant directory', () => {
  it('gives a registered tenant its tier, status and limits', async () => {
    const db = fakeTenants(new Map([['acc-1', { tier: 'pro', status: 'suspended' }]]));
    const directory = createTenantDirectory({ db, limits: defaultTierLimits, clock: clockAt(0) });
    expect(await directory.standing('acc-1')).toEqual({
      tier: 'pro',
      status: 'suspended',
      apiRequestsPerMinute: defaultTierLimits.pro.apiRequestsPerMinute,
      limits: defaultTierLimits.pro,
    });
  });

  it('gives an unregistered account the free tier, active', async () => {
    const db = fakeTenants(new Map());
    const directory = createTenantDirectory({ db, limits: defaultTierLimits, clock: clockAt(0) });
    expect(await directory.standing('dev-account')).toMatchObject({
      tier: 'free',
      status: 'active',
      apiRequestsPerMinute: defaultTierLimits.free.apiRequestsPerMinute,
    });
  });

  it('reads a stored standard tier as pro', async () => {
    const db = fakeTenants(new Map([['acc-1', { tier: 'standard', status: 'active' }]]));
    const directory = createTenantDirectory({ db, limits: defaultTierLimits, clock: clockAt(0) });
    expect((await directory.standing('acc-1')).tier).toBe('pro');
  });

  it('reuses a standing for a second, then reads the table again', async () => {
    const rows = new Map([['acc-1', { tier: 'free', status: 'active' }]]);
    const db = fakeTenants(rows);
    const clock = clockAt(10_000);
    const directory = createTenantDirectory({ db, limits: defaultTierLimits, clock });
    await Promise.all([directory.standing('acc-1'), directory.standing('acc-1')]);
    expect(db.queries).toBe(1);
    rows.set('acc-1', { tier: 'free', status: 'suspended' });
    clock.ms += 999;
    expect((await directory.standing('acc-1')).status).toBe('active');
    clock.ms += 1;
    expect((await directory.standing('acc-1')).status).toBe('suspended');
    expect(db.queries).toBe(2);
  });

  it('never caches for more than two seconds, whatever it is told', async () => {
    const db = fakeTenants(new Map());
    const clock = clockAt(0);
    const directory = createTenantDirectory({
      db,
      limits: defaultTierLimits,
      clock,
      cacheMs: 60_000,
    });
    await directory.standing('acc-1');
    clock.ms += 2000;
    await directory.standing('acc-1');
    expect(db.queries).toBe(2);
  });

  it('does not remember a failed read', async () => {
    const db = fakeTenants(new Map());
    const directory = createTenantDirectory({ db, limits: defaultTierLimits, clock: clockAt(0) });
    db.failNext = true;
    await expect(directory.standing('acc-1')).rejects.toThrow('connection reset');
    expect((await directory.standing('acc-1')).tier).toBe('free');
  });

  it('keeps at most maxEntries accounts', async () => {
    const db = fakeTenants(new Map());
    const directory = createTenantDirectory({
      db,
      limits: defaultTierLimits,
      clock: clockAt(0),
      maxEntries: 2,
    });
    for (const id of ['a', 'b', 'c']) await directory.standing(id);
    await directory.standing('c');
    await directory.standing('b');
    expect(db.queries).toBe(3);
    await directory.standing('a');
    expect(db.queries).toBe(4);
  });
});
