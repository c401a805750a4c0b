import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { kindOfStatus, retryAfterSeconds, toProviderError } from './vendorErrors.js';

const context = { provider: 'openai', sdk: OpenAI, apiKey: 'sk-secret-123456', timeoutMs: 1000 };

describe('vendor errors', () => {
  it.each([
    [401, 'authentication'],
    [402, 'authentication'],
    [403, 'authentication'],
    [404, 'bad_request'],
    [408, 'timeout'],
    [413, 'bad_request'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [529, 'unavailable'],
  ])('takes status %i as %s', (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind);
  });

  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '20' }))).toBe(20);
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500' }))).toBe(2);
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterSeconds(new Headers({ 'retry-after': inAMinute }))).toBeGreaterThan(55);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'later' }))).toBeUndefined();
  });

  it("takes Azure's content-filter refusal as content_filtered", () => {
    const refused = OpenAI.APIError.generate(
      400,
      { error: { message: 'filtered', code: 'content_filter' } },
      undefined,
      new Headers(),
    );
    expect(toProviderError(refused, context).kind).toBe('content_filtered');
  });

  it('drops the SDK error as cause when it carries the key', () => {
    const error = toProviderError(new Error('bad key sk-secret-123456'), context);
    expect(error.message).toBe('openai broke off its answer: bad key [redacted]');
    expect(String(error.cause)).toBe('Error: bad key [redacted]');
  });
});
