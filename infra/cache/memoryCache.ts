import type { Cache, Clock } from '../../contracts/index.js';

/** The embedded profile's cache: one process, so a Map with expiry times is the whole story. */
export function createMemoryCache(clock: Clock): Cache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expiresAt <= clock.now().getTime()) {
        entries.delete(key);
        return null;
      }
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      const expiresAt =
        ttlSeconds === undefined
          ? Number.POSITIVE_INFINITY
          : clock.now().getTime() + ttlSeconds * 1000;
      entries.set(key, { value, expiresAt });
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
