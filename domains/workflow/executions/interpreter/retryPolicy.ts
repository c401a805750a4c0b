import { durationMs } from './durations.js';

/** A `retry` definition of the DSL, as far as the schedule of attempts is concerned. */
export interface RetryPolicy {
  when?: string;
  exceptWhen?: string;
  delay?: unknown;
  backoff?: { constant?: object; linear?: object; exponential?: object };
  jitter?: { from: unknown; to: unknown };
  limit?: { attempt?: { count?: number; duration?: unknown }; duration?: unknown };
}

/**
 * Whether retry number `retry` (1 for the first retry) is allowed, given when the first attempt
 * started and how long the last one took. `limit.attempt.count` counts retries after the first
 * attempt; without any limit a policy retries forever, bounded only by the engine's task limit.
 */
export function mayRetry(
  policy: RetryPolicy,
  retry: number,
  elapsedMs: number,
  lastAttemptMs: number,
  at: string,
): boolean {
  const count = policy.limit?.attempt?.count;
  if (count !== undefined && retry > count) return false;
  if (policy.limit?.duration !== undefined && elapsedMs >= durationMs(policy.limit.duration, at))
    return false;
  const perAttempt = policy.limit?.attempt?.duration;
  if (perAttempt !== undefined && lastAttemptMs > durationMs(perAttempt, at)) return false;
  return true;
}

/**
 * The delay before retry number `retry`: `delay` as is (constant, the default), times the retry
 * number (linear), or doubled per retry (exponential); plus a uniform jitter from
 * `random` ∈ [0, 1) scaled into [jitter.from, jitter.to].
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: number,
  at: string,
): number {
  const base = policy.delay === undefined ? 0 : durationMs(policy.delay, at);
  let delay = base;
  if (policy.backoff?.linear) delay = base * retry;
  else if (policy.backoff?.exponential) delay = base * 2 ** (retry - 1);
  if (policy.jitter) {
    const from = durationMs(policy.jitter.from, at);
    const to = durationMs(policy.jitter.to, at);
    delay += from + (to - from) * random;
  }
  return Math.max(0, Math.round(delay));
}
