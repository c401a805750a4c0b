/** The window every limit is counted over: limits are per minute. */
export const rateWindowSeconds = 60;

/** The answer to one request for a unit of a caller's per-minute budget. */
export interface RateDecision {
  allowed: boolean;
  /** The limit the request was counted against, per minute. */
  limit: number;
  /** Requests still allowed in the current window (0 once refused). */
  remaining: number;
  /** Seconds until the window resets, at least 1. */
  resetSeconds: number;
}

/**
 * The gateway's rate-limiting port: counts one request against `key`'s budget of
 * `limitPerMinute`. Adapters live in `infra/rateLimit/` (in-memory for the embedded profile,
 * Redis shared by every replica for the distributed one).
 */
export interface RateLimiter {
  take(key: string, limitPerMinute: number): Promise<RateDecision>;
  /** Releases connections; optional. */
  close?(): Promise<void>;
}
