import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Cache } from '../../contracts/index.js';
import { eventually } from '../support/eventually.js';

/** What every Cache adapter must do; run against the in-memory cache and Redis. */
export function cacheContract(open: () => Promise<Cache>): void {
  let cache: Cache;
  beforeAll(async () => {
    cache = await open();
  });
  afterAll(async () => {
    await cache?.close();
  });

  it('returns what was set and null for what was not', async () => {
    await cache.set('tenant:1', 'acme');
    expect(await cache.get('tenant:1')).toBe('acme');
    expect(await cache.get('tenant:missing')).toBeNull();
  });

  it('forgets a deleted key', async () => {
    await cache.set('tenant:2', 'bakery');
    await cache.delete('tenant:2');
    expect(await cache.get('tenant:2')).toBeNull();
  });

  it('expires a key after its time to live', async () => {
    await cache.set('tenant:3', 'short-lived', 0.2);
    expect(await cache.get('tenant:3')).toBe('short-lived');
    await eventually(async () => ((await cache.get('tenant:3')) === null ? true : undefined), {
      timeoutMs: 3_000,
    });
  });

  it('answers ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
}
