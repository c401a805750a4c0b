import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RateDecision, RateLimiter } from '../../gateway/rateLimit/rateLimiter.js';

/**
 * What every RateLimiter adapter must do; run by the in-memory adapter's unit spec and the
 * Redis adapter's int spec.
 * `open` must give a limiter with no budgets spent yet.
 */
export function rateLimiterContract(open: () => Promise<RateLimiter>): void {
  let limiter: RateLimiter;
  beforeAll(async () => {
    limiter = await open();
  });
  afterAll(async () => {
    await limiter?.close?.();
  });

  const takeTimes = async (key: string, limit: number, times: number) => {
    const decisions: RateDecision[] = [];
    for (let i = 0; i < times; i++) decisions.push(await limiter.take(key, limit));
    return decisions;
  };

  it('allows exactly the limit in a minute, counting down what remains', async () => {
    const decisions = await takeTimes('tenant-countdown', 3, 4);
    expect(
      decisions.map(({ allowed, remaining, limit }) => ({ allowed, remaining, limit })),
    ).toEqual([
      { allowed: true, remaining: 2, limit: 3 },
      { allowed: true, remaining: 1, limit: 3 },
      { allowed: true, remaining: 0, limit: 3 },
      { allowed: false, remaining: 0, limit: 3 },
    ]);
  });

  it('tells a refused caller how many seconds remain until its window resets', async () => {
    const [, refused] = await takeTimes('tenant-reset', 1, 2);
    expect(refused?.allowed).toBe(false);
    expect(refused?.resetSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.resetSeconds).toBeLessThanOrEqual(60);
  });

  it("keeps each key's budget to itself", async () => {
    await takeTimes('tenant-greedy', 2, 5);
    const other = await limiter.take('tenant-quiet', 2);
    expect(other).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('counts each tier against its own limit', async () => {
    const free = await takeTimes('tenant-free', 2, 6);
    const pro = await takeTimes('tenant-pro', 5, 6);
    expect(free.filter((d) => d.allowed)).toHaveLength(2);
    expect(pro.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('admits exactly the limit from concurrent requests', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () => limiter.take('tenant-concurrent', 20)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it('refuses every request under a limit of zero', async () => {
    expect(await limiter.take('tenant-suspended', 0)).toMatchObject({ allowed: false });
  });

  it('rejects a limit that is not a whole number', async () => {
    await expect(limiter.take('tenant-odd', 2.5)).rejects.toThrow(RangeError);
  });
}
