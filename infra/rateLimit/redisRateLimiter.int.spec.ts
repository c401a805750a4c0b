import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiterContract } from '../../test/contracts/rateLimiterContract.js';
import { devEndpoints } from '../dev/endpoints.js';
import { eventually } from '../../test/support/eventually.js';
import { freePort } from '../../test/support/processes.js';
import { describeWithServices, uniqueSuffix } from '../../test/support/realServices.js';
import { createRedisRateLimiter } from './redisRateLimiter.js';

describeWithServices(['redis'], 'Redis rate limiter (distributed profile)', () => {
  describe('contract', () => {
    rateLimiterContract(async () =>
      createRedisRateLimiter({ url: devEndpoints.redis.url, keyPrefix: `test-${uniqueSuffix()}:` }),
    );
  });

  describe('between replicas', () => {
    const keyPrefix = `test-${uniqueSuffix()}:`;
    // Two limiters, each with its own connection: two gateway replicas.
    const replicas = [1, 2].map(() =>
      createRedisRateLimiter({ url: devEndpoints.redis.url, keyPrefix }),
    );
    const redis = new Redis(devEndpoints.redis.url);
    afterAll(async () => {
      await Promise.all(replicas.map((replica) => replica.close?.()));
      redis.disconnect();
    });

    it('shares one budget between replicas', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 30 }, (_, i) => replicas[i % 2]!.take('tenant-shared', 10)),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      // Both replicas now refuse, whichever one saw the budget run out.
      for (const replica of replicas) {
        expect(await replica.take('tenant-shared', 10)).toMatchObject({ allowed: false });
      }
    });

    it("keeps one tenant's exhaustion from another tenant on any replica", async () => {
      for (let i = 0; i < 4; i++) await replicas[i % 2]!.take('tenant-a', 3);
      expect(await replicas[0]!.take('tenant-b', 3)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await replicas[1]!.take('tenant-b', 3)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('applies each tier its own limit across replicas', async () => {
      const take = (key: string, limit: number) =>
        Promise.all(Array.from({ length: 12 }, (_, i) => replicas[i % 2]!.take(key, limit)));
      const free = await take('tenant-free', 3);
      const enterprise = await take('tenant-enterprise', 8);
      expect(free.filter((d) => d.allowed)).toHaveLength(3);
      expect(enterprise.filter((d) => d.allowed)).toHaveLength(8);
    });

    it('keeps its counters under the key prefix, expiring with the window', async () => {
      await replicas[0]!.take('tenant-keys', 5);
      const key = `${keyPrefix}ratelimit:tenant-keys`;
      expect(await redis.keys(`${keyPrefix}*tenant-keys`)).toEqual([key]);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });

  describe('while Redis is unreachable', () => {
    let url: string;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    beforeAll(async () => {
      // A port nobody listens on, with a password that must never reach the log.
      url = `redis://:s3cret-password@127.0.0.1:${await freePort()}`;
    });

    it('still limits each caller, per process (insurance limiter)', async () => {
      const replicas = [1, 2].map(() =>
        createRedisRateLimiter({ url, keyPrefix: `test-${uniqueSuffix()}:`, logger }),
      );
      try {
        const first = [];
        for (let i = 0; i < 4; i++) first.push((await replicas[0]!.take('tenant-a', 3)).allowed);
        expect(first).toEqual([true, true, true, false]);
        // Each process counts on its own until Redis is back: the other replica's budget is whole.
        expect(await replicas[1]!.take('tenant-a', 3)).toMatchObject({
          allowed: true,
          remaining: 2,
        });
      } finally {
        await Promise.all(replicas.map((replica) => replica.close?.()));
      }
    });

    it('says once per replica that limits are no longer shared, without the URL', async () => {
      const limiter = createRedisRateLimiter({ url, keyPrefix: 'x:', logger });
      lines.length = 0;
      try {
        await limiter.take('tenant-a', 3);
        await eventually(async () => (lines.length > 0 ? true : undefined));
        // Let ioredis retry a few times: the warning must not repeat with each attempt.
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await limiter.close?.();
      }
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 40,
        msg: 'rate limits fall back to per-replica counting: Redis is unreachable',
        err: { code: 'ECONNREFUSED' },
      });
      expect(lines[0]).not.toContain('s3cret');
    });
  });
});
