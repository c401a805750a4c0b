export { rateLimit } from './rateLimitMiddleware.js';
export type { RateLimitOptions, RatePolicy } from './rateLimitMiddleware.js';
export { rateWindowSeconds } from './rateLimiter.js';
export type { RateDecision, RateLimiter } from './rateLimiter.js';
