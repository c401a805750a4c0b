import type { Context, Middleware } from 'koa';
import { AwpError } from '../../contracts/index.js';
import { rateWindowSeconds } from './rateLimiter.js';
import type { RateDecision, RateLimiter } from './rateLimiter.js';

/** Whose budget a request is counted against, and how large that budget is. */
export interface RatePolicy {
  key: string;
  limitPerMinute: number;
}

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The caller's policy; `undefined` leaves the request unlimited (probes, callers without a tenant). */
  policyFor(ctx: Context): RatePolicy | undefined;
}

/**
 * The fields of draft-ietf-httpapi-ratelimit-headers-06: one field per figure, reset in
 * delta-seconds, the policy as `<limit>;w=<window seconds>`. Later drafts fold them into a
 * single `RateLimit` field; the -06 names are the most widely implemented (express-rate-limit's
 * `draft-6` mode, for one).
 */
function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    'RateLimit-Policy': `${decision.limit};w=${rateWindowSeconds}`,
  };
}

/**
 * Counts each request against its caller's per-minute budget and refuses the excess with
 * `quota_exceeded` (429). The headers are set on `ctx` before throwing: the edge's problem
 * handler (`gateway/edge/problemResponse.ts`) replaces status, type and body but keeps the
 * headers already set, unlike Koa's own `ctx.onerror`, which the edge never lets an error reach.
 * `rateLimitMiddleware.unit.spec.ts` runs behind the real edge to hold that in place.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  return async function rateLimitMiddleware(ctx, next) {
    const policy = options.policyFor(ctx);
    if (policy === undefined) return next();
    const decision = await options.limiter.take(policy.key, policy.limitPerMinute);
    ctx.set(rateLimitHeaders(decision));
    if (!decision.allowed) {
      // RFC 9110 § 10.2.3: the 429's own hint, read by clients that know no RateLimit field.
      ctx.set('Retry-After', String(decision.resetSeconds));
      throw new AwpError(
        'quota_exceeded',
        `the account made more than ${decision.limit} requests this minute (tier limit); retry in ${decision.resetSeconds} s`,
        { retryable: true },
      );
    }
    await next();
  };
}
