import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { rateWindowSeconds } from '../../gateway/rateLimit/rateLimiter.js';
import type { RateLimiter } from '../../gateway/rateLimit/rateLimiter.js';
import { createFlexibleRateLimiter } from './flexibleRateLimiter.js';

export interface RedisRateLimiterOptions {
  url: string;
  /** Namespaces keys (the house's `${topicPrefix}awp:`), so environments and test files can share one Redis. */
  keyPrefix: string;
  /** Told when limits stop (and start again) being shared between replicas; never given the URL. */
  logger?: Logger;
  /** How long a request waits for Redis before the per-process limit answers; default 500 ms. */
  commandTimeoutMs?: number;
}

/**
 * The distributed profile's rate limiter: every replica counts in the same Redis key per
 * caller, `${keyPrefix}ratelimit:${key}`, incremented atomically by the library's Lua script.
 * The counter does not depend on the limit, so a tenant changing tier mid-minute keeps what it
 * has already spent.
 *
 * When Redis fails, each limit answers from an in-process `insuranceLimiter` instead: callers
 * stay limited, per replica (so N replicas admit up to N times the limit until Redis is back),
 * rather than every request being refused, or admitted unchecked.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    // A command must fail at once while Redis is unreachable, not queue behind the reconnect:
    // the insurance limiter answers instead, and the request does not wait.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    commandTimeout: options.commandTimeoutMs ?? 500,
  });
  reportSharing(redis, options.logger);
  // Without an offline queue, requests arriving while the first connection is still being made
  // would all be counted per replica. They wait for that first attempt instead (refused or
  // timed out after `connectTimeout` at worst); ioredis goes on reconnecting if it fails.
  const firstConnection = redis.connect().catch(() => undefined);

  const limiter = createFlexibleRateLimiter(
    (limit) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${options.keyPrefix}ratelimit`,
        points: limit,
        duration: rateWindowSeconds,
        // Once a replica has seen a budget spent it refuses that caller from memory until the
        // window's end (the TTL Redis reported): a flood costs Redis one call per request only
        // while there is budget left.
        inMemoryBlockOnConsumed: limit,
        insuranceLimiter: new RateLimiterMemory({ points: limit, duration: rateWindowSeconds }),
      }),
  );
  return {
    async take(key, limitPerMinute) {
      await firstConnection;
      return limiter.take(key, limitPerMinute);
    },
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * Logs the moments limits stop and start being shared, once each: ioredis repeats its 'error'
 * on every reconnect attempt. Only the error's code and message are logged (a host and port at
 * most), never the URL, which may carry a password.
 */
function reportSharing(redis: Redis, logger: Logger | undefined): void {
  let shared = true;
  // Without an 'error' listener ioredis's reconnect errors would crash the process.
  redis.on('error', (error: NodeJS.ErrnoException) => {
    if (!shared) return;
    shared = false;
    logger?.warn(
      { err: { code: error.code, message: error.message } },
      'rate limits fall back to per-replica counting: Redis is unreachable',
    );
  });
  redis.on('ready', () => {
    if (shared) return;
    shared = true;
    logger?.info('rate limits are shared between replicas again: Redis is reachable');
  });
}
