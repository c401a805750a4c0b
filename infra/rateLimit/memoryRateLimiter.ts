import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateWindowSeconds } from '../../gateway/rateLimit/rateLimiter.js';
import type { RateLimiter } from '../../gateway/rateLimit/rateLimiter.js';
import { createFlexibleRateLimiter } from './flexibleRateLimiter.js';

/** The embedded profile's rate limiter: one process, so its own memory holds every budget. */
export function createMemoryRateLimiter(): RateLimiter {
  return createFlexibleRateLimiter(
    (limit) => new RateLimiterMemory({ points: limit, duration: rateWindowSeconds }),
  );
}
