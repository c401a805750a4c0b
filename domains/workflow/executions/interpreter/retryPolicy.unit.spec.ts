import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayRetry, retryDelayMs } from './retryPolicy.js';
import type { RetryPolicy } from './retryPolicy.js';
import { thrownBy } from './testing/thrownBy.js';
import { WorkflowError } from './workflowError.js';

const at = '/do/0/tryIt/catch/retry';

describe('retryDelayMs', () => {
  it('waits nothing when the policy names no delay', () => {
    expect(retryDelayMs({}, 3, 0.5, at)).toBe(0);
  });

  it('waits the same delay before every retry by default (constant backoff)', () => {
    const policy: RetryPolicy = { delay: { seconds: 2 } };
    expect([1, 2, 3, 10].map((retry) => retryDelayMs(policy, retry, 0, at))).toEqual([
      2000, 2000, 2000, 2000,
    ]);
  });

  it('treats an explicit constant backoff like the default', () => {
    const policy: RetryPolicy = { delay: 'PT3S', backoff: { constant: {} } };
    expect([1, 4].map((retry) => retryDelayMs(policy, retry, 0, at))).toEqual([3000, 3000]);
  });

  it('multiplies the delay by the retry number with a linear backoff', () => {
    const policy: RetryPolicy = { delay: { seconds: 1 }, backoff: { linear: {} } };
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry, 0, at))).toEqual([
      1000, 2000, 3000, 4000,
    ]);
  });

  it('doubles the delay per retry with an exponential backoff, starting at the delay', () => {
    const policy: RetryPolicy = { delay: { milliseconds: 250 }, backoff: { exponential: {} } };
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(policy, retry, 0, at))).toEqual([
      250, 500, 1000, 2000, 4000,
    ]);
  });

  it('accepts ISO 8601 and object durations for the delay alike', () => {
    const iso = retryDelayMs({ delay: 'PT1M30S' }, 1, 0, at);
    const parts = retryDelayMs({ delay: { minutes: 1, seconds: 30 } }, 1, 0, at);
    expect(iso).toBe(90_000);
    expect(parts).toBe(90_000);
  });

  it('adds the lower jitter bound when random is 0', () => {
    const policy: RetryPolicy = {
      delay: { seconds: 1 },
      jitter: { from: { milliseconds: 100 }, to: { milliseconds: 500 } },
    };
    expect(retryDelayMs(policy, 1, 0, at)).toBe(1100);
  });

  it('scales random into the jitter range', () => {
    const policy: RetryPolicy = {
      delay: { seconds: 1 },
      jitter: { from: 'PT0.1S', to: 'PT0.5S' },
    };
    expect(retryDelayMs(policy, 1, 0.5, at)).toBe(1300);
    expect(retryDelayMs(policy, 1, 0.999, at)).toBe(1500);
  });

  it('adds jitter on top of the backoff, not to the base delay', () => {
    const policy: RetryPolicy = {
      delay: { seconds: 1 },
      backoff: { exponential: {} },
      jitter: { from: { seconds: 1 }, to: { seconds: 1 } },
    };
    expect(retryDelayMs(policy, 3, 0.7, at)).toBe(5000);
  });

  it('rejects an invalid delay as a validation error located at the retry policy', () => {
    const failure = thrownBy(() => retryDelayMs({ delay: 'soon' }, 1, 0, at));
    expect(failure).toBeInstanceOf(WorkflowError);
    expect((failure as WorkflowError).problem).toMatchObject({ status: 400, instance: at });
  });

  it('never waits less between later retries with a linear or exponential backoff', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RetryPolicy['backoff']>({ linear: {} }, { exponential: {} }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 1, max: 30 }),
        (backoff, delay, retry) => {
          const policy: RetryPolicy = { delay: { milliseconds: delay }, backoff };
          expect(retryDelayMs(policy, retry + 1, 0, at)).toBeGreaterThanOrEqual(
            retryDelayMs(policy, retry, 0, at),
          );
        },
      ),
    );
  });

  it('always lands within the jitter bounds around the backoff', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RetryPolicy['backoff']>(undefined, { linear: {} }, { exponential: {} }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (backoff, delay, from, width, retry, random) => {
          const withoutJitter = retryDelayMs(
            { delay: { milliseconds: delay }, backoff },
            retry,
            random,
            at,
          );
          const jittered = retryDelayMs(
            {
              delay: { milliseconds: delay },
              backoff,
              jitter: { from: { milliseconds: from }, to: { milliseconds: from + width } },
            },
            retry,
            random,
            at,
          );
          expect(jittered).toBeGreaterThanOrEqual(withoutJitter + from);
          expect(jittered).toBeLessThanOrEqual(withoutJitter + from + width);
        },
      ),
    );
  });
});

describe('mayRetry', () => {
  it('retries forever when the policy sets no limit', () => {
    expect(mayRetry({}, 1_000, 10 ** 9, 10 ** 6, at)).toBe(true);
  });

  it('counts limit.attempt.count as retries after the first attempt', () => {
    const policy: RetryPolicy = { limit: { attempt: { count: 3 } } };
    expect([1, 2, 3, 4].map((retry) => mayRetry(policy, retry, 0, 0, at))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('allows no retry at all with an attempt count of 0', () => {
    expect(mayRetry({ limit: { attempt: { count: 0 } } }, 1, 0, 0, at)).toBe(false);
  });

  it('stops retrying once the time since the first attempt reaches limit.duration', () => {
    const policy: RetryPolicy = { limit: { duration: 'PT1M' } };
    expect(mayRetry(policy, 5, 59_999, 0, at)).toBe(true);
    expect(mayRetry(policy, 5, 60_000, 0, at)).toBe(false);
  });

  it('stops retrying when the last attempt took longer than limit.attempt.duration', () => {
    const policy: RetryPolicy = { limit: { attempt: { duration: { seconds: 5 } } } };
    expect(mayRetry(policy, 1, 0, 5_000, at)).toBe(true);
    expect(mayRetry(policy, 1, 0, 5_001, at)).toBe(false);
  });

  it('requires every limit to allow the retry', () => {
    const policy: RetryPolicy = {
      limit: { attempt: { count: 10, duration: 'PT10S' }, duration: 'PT1H' },
    };
    expect(mayRetry(policy, 2, 1_000, 1_000, at)).toBe(true);
    expect(mayRetry(policy, 11, 1_000, 1_000, at)).toBe(false);
    expect(mayRetry(policy, 2, 3_600_000, 1_000, at)).toBe(false);
    expect(mayRetry(policy, 2, 1_000, 10_001, at)).toBe(false);
  });
});
