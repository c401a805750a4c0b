import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter } from '../../gateway/rateLimit/rateLimiter.js';

/**
 * Adapts rate-limiter-flexible to the gateway's port. The library fixes `points` per limiter
 * instance, so there is one instance per distinct limit, created on first use and kept: tiers
 * are few, so the cache stays small.
 *
 * Why its algorithm: the library counts in a fixed window that opens at a key's first request
 * and lasts exactly `duration` seconds (`rateWindowSeconds`), not at minute boundaries. Under
 * steady overload that keeps the count exact: at 3x the limit the budget is spent within the
 * first 20 s of each window, so any 60 s span holds exactly one window's worth of accepted
 * requests. A calendar-aligned window would let a caller who starts late in a minute spend its
 * budget twice in its first 60 s (up to +100%), and a token bucket of the same rate admits its
 * full burst plus a minute of refill (+100%). The price is the usual fixed-window edge: a
 * caller idle until a window's last second can spend two budgets in quick succession; the
 * total over any one window still never exceeds the limit.
 */
export function createFlexibleRateLimiter(
  limiterFor: (limitPerMinute: number) => RateLimiterAbstract,
): RateLimiter {
  const limiters = new Map<number, RateLimiterAbstract>();
  const limiterOf = (limit: number): RateLimiterAbstract => {
    let limiter = limiters.get(limit);
    if (!limiter) {
      limiter = limiterFor(limit);
      limiters.set(limit, limiter);
    }
    return limiter;
  };
  return {
    async take(key, limitPerMinute) {
      if (!Number.isInteger(limitPerMinute) || limitPerMinute < 0) {
        throw new RangeError(`a rate limit must be a whole number >= 0, got ${limitPerMinute}`);
      }
      try {
        return decision(limitPerMinute, true, await limiterOf(limitPerMinute).consume(key));
      } catch (outcome) {
        // The library rejects with a RateLimiterRes when the budget is spent, and with an Error
        // only when its store failed and no insurance limiter answered.
        if (outcome instanceof RateLimiterRes) return decision(limitPerMinute, false, outcome);
        throw outcome;
      }
    },
  };
}

function decision(limit: number, allowed: boolean, res: RateLimiterRes): RateDecision {
  return {
    allowed,
    limit,
    remaining: allowed ? res.remainingPoints : 0,
    // Never 0: `Retry-After: 0` would invite an immediate retry into a window not yet reset.
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
