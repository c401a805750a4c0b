import { describe, expect, it } from 'vitest';
import { forwardedCallError, forwardedHeaders } from './forwardedHeaders.js';

describe('forwardedHeaders', () => {
  it('forwards the caller’s credential and continues the trace', () => {
    const headers = forwardedHeaders(
      { authorization: 'Bearer t', account: 'acme', user: 'ada' },
      '0123456789abcdef0123456789abcdef',
    );
    expect(headers).toMatchObject({
      authorization: 'Bearer t',
      'x-awp-account': 'acme',
      'x-awp-user': 'ada',
      'content-type': 'application/json',
    });
    expect(headers.traceparent).toMatch(/^00-0123456789abcdef0123456789abcdef-[0-9a-f]{16}-01$/);
  });

  it('sends no trace for a correlation id that is not a trace id, and no empty header', () => {
    expect(forwardedHeaders(undefined, 'not-a-trace')).toEqual({
      'content-type': 'application/json',
    });
  });
});

describe('forwardedCallError', () => {
  it('makes a 401 over there the operator’s problem, not the user’s', () => {
    const error = forwardedCallError('the dry run was refused', 401, { detail: 'bad token' });
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/both must trust the same issuers \(AWP_OIDC_ISSUERS\)/);
  });

  it('passes other refusals on as the problem says', () => {
    const error = forwardedCallError('the dry run was refused', 403, {
      type: 'https://awp.dev/problems/forbidden',
      detail: 'role viewer may not run workflows',
    });
    expect(error).toMatchObject({
      code: 'forbidden',
      message: 'the dry run was refused: role viewer may not run workflows',
    });
  });
});
