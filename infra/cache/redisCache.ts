import { Redis } from 'ioredis';
import type { Cache } from '../../contracts/index.js';

export interface RedisCacheOptions {
  url: string;
  /** Namespaces keys, so environments (and test files) can share one Redis. */
  keyPrefix: string;
}

/** The distributed profile's cache, shared by every replica. */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    lazyConnect: true,
    // Fail fast instead of queueing forever: callers (and /readyz) must see an outage.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 3_000,
  });
  // ioredis reconnects by itself; an 'error' event without a listener would crash the process.
  redis.on('error', () => undefined);
  let connecting: Promise<void> | undefined;
  const connected = async () => {
    if (redis.status === 'wait') connecting ??= redis.connect();
    await connecting;
    return redis;
  };

  return {
    async get(key) {
      return (await connected()).get(key);
    },
    async set(key, value, ttlSeconds) {
      const client = await connected();
      if (ttlSeconds === undefined) await client.set(key, value);
      else await client.set(key, value, 'PX', Math.round(ttlSeconds * 1000));
    },
    async delete(key) {
      await (await connected()).del(key);
    },
    async ping() {
      await (await connected()).ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
