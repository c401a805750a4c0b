import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateLimiterContract } from '../../test/contracts/rateLimiterContract.js';
import { createMemoryRateLimiter } from './memoryRateLimiter.js';

describe('in-memory rate limiter (embedded profile)', () => {
  rateLimiterContract(async () => createMemoryRateLimiter());

  describe('windows', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('opens a fresh budget a minute after the first request', async () => {
      // rate-limiter-flexible reads Date.now(); only the date is faked, its timers stay real.
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-01-01T00:00:00Z') });
      const limiter = createMemoryRateLimiter();
      await limiter.take('tenant-a', 1);
      vi.setSystemTime(new Date('2025-01-01T00:00:59.500Z'));
      expect(await limiter.take('tenant-a', 1)).toMatchObject({ allowed: false, resetSeconds: 1 });
      vi.setSystemTime(new Date('2025-01-01T00:01:00.001Z'));
      expect(await limiter.take('tenant-a', 1)).toMatchObject({ allowed: true, resetSeconds: 60 });
    });

    it('starts the window at the first request, not at the minute boundary', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-01-01T00:00:50Z') });
      const limiter = createMemoryRateLimiter();
      await limiter.take('tenant-a', 1);
      vi.setSystemTime(new Date('2025-01-01T00:01:10Z'));
      expect(await limiter.take('tenant-a', 1)).toMatchObject({ allowed: false, resetSeconds: 40 });
    });
  });
});
