import { describe, expect, it } from 'vitest';
import { asWorkflowError, errorTypes, standardError, WorkflowError } from './workflowError.js';

const spec = 'https://serverlessworkflow.io/spec/1.0.0/errors/';

describe('standardError', () => {
  it.each([
    ['configuration', 400],
    ['validation', 400],
    ['expression', 400],
    ['authentication', 401],
    ['authorization', 403],
    ['timeout', 408],
    ['communication', 500],
    ['runtime', 500],
  ] as const)('gives a %s error the spec type and status %i', (kind, status) => {
    const error = standardError(kind, 'Title');
    expect(error.problem).toEqual({ type: `${spec}${kind}`, status, title: 'Title' });
  });

  it('covers exactly the standard types of the DSL reference', () => {
    expect(Object.keys(errorTypes).sort()).toEqual(
      [
        'authentication',
        'authorization',
        'communication',
        'configuration',
        'expression',
        'runtime',
        'timeout',
        'validation',
      ].sort(),
    );
  });

  it('keeps the detail, an explicit status and the instance', () => {
    const error = standardError('communication', 'Not Found', 'pet 7 does not exist', {
      status: 404,
      instance: '/do/0/getPet',
    });
    expect(error.problem).toEqual({
      type: `${spec}communication`,
      status: 404,
      title: 'Not Found',
      detail: 'pet 7 does not exist',
      instance: '/do/0/getPet',
    });
    expect(error.message).toBe('pet 7 does not exist');
  });

  it('uses the title as the message when there is no detail', () => {
    expect(standardError('timeout', 'Task timed out').message).toBe('Task timed out');
  });
});

describe('WorkflowError.at', () => {
  it('attributes an error without an instance to the given task', () => {
    const error = standardError('timeout', 'Task timed out');
    expect(error.at('/do/2/wait').problem.instance).toBe('/do/2/wait');
  });

  it('keeps the instance of an error that already names where it came from', () => {
    const error = standardError('timeout', 'Task timed out', undefined, {
      instance: '/do/0/inner',
    });
    const located = error.at('/do/3/outer');
    expect(located).toBe(error);
    expect(located.problem.instance).toBe('/do/0/inner');
  });

  it('carries over whether the error was already recorded', () => {
    const error = standardError('runtime', 'Boom');
    error.recorded = true;
    expect(error.at('/do/0/x').recorded).toBe(true);
  });

  it('leaves the original error unchanged', () => {
    const error = standardError('runtime', 'Boom');
    error.at('/do/0/x');
    expect(error.problem.instance).toBeUndefined();
  });
});

describe('asWorkflowError', () => {
  it('keeps a WorkflowError and its instance', () => {
    const error = standardError('authorization', 'Forbidden', undefined, { instance: '/do/0/a' });
    expect(asWorkflowError(error, '/do/9/b')).toBe(error);
  });

  it('locates a WorkflowError that has no instance yet', () => {
    const located = asWorkflowError(standardError('authorization', 'Forbidden'), '/do/9/b');
    expect(located.problem).toMatchObject({
      type: `${spec}authorization`,
      status: 403,
      instance: '/do/9/b',
    });
  });

  it('wraps any other Error as a runtime error with status 500 and its message', () => {
    const wrapped = asWorkflowError(new TypeError('x is not a function'), '/do/1/run');
    expect(wrapped).toBeInstanceOf(WorkflowError);
    expect(wrapped.problem).toEqual({
      type: `${spec}runtime`,
      status: 500,
      title: 'Runtime error',
      detail: 'x is not a function',
      instance: '/do/1/run',
    });
  });

  it('wraps a thrown non-Error value as a runtime error with its text', () => {
    expect(asWorkflowError('plain text', '/do/1/run').problem).toMatchObject({
      status: 500,
      detail: 'plain text',
      instance: '/do/1/run',
    });
  });
});
