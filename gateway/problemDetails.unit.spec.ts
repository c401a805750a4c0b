import { describe, expect, it } from 'vitest';
import { AwpError } from '../contracts/index.js';
import { errorFromProblem, problemFor } from './problemDetails.js';

describe('errorFromProblem', () => {
  it('reads back the error problemFor wrote, code, field and violations included', () => {
    const original = new AwpError('validation', 'bad tier', {
      field: 'tier',
      violations: [{ field: 'tier', message: 'unknown tier' }],
    });
    const problem = problemFor(original);
    const error = errorFromProblem('the call failed', problem.status, problem);
    expect(error.code).toBe('validation');
    expect(error.message).toBe('the call failed: bad tier');
    expect(error.details).toMatchObject({
      field: 'tier',
      violations: [{ field: 'tier', message: 'unknown tier' }],
    });
    const gone = problemFor(new AwpError('not_found', 'no such thing'));
    expect(errorFromProblem('x', 404, gone).code).toBe('not_found');
    const conflict = problemFor(new AwpError('illegal_state', 'already done'));
    expect(errorFromProblem('x', 409, conflict).code).toBe('illegal_state');
  });

  it('falls back on the status when the body is not an AWP problem', () => {
    expect(errorFromProblem('x', 403, 'nope').code).toBe('forbidden');
    expect(errorFromProblem('x', 413, null).code).toBe('validation');
    expect(errorFromProblem('x', 401, {}).message).toBe('x: status 401');
    const limited = errorFromProblem('x', 429, { title: 'Too many' });
    expect(limited.code).toBe('quota_exceeded');
    expect(limited.retryable).toBe(true);
  });

  it('makes a server error over there a retryable unavailable here', () => {
    const internal = problemFor(new AwpError('internal', 'secret detail'));
    const error = errorFromProblem('the agent service failed', 500, internal);
    expect(error.code).toBe('unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('the agent service failed: an unexpected error occurred');
  });
});
