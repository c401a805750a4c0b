import { describe, expect, it } from 'vitest';
import { errorTypes } from '../workflowError.js';
import type { WorkflowProblem } from '../workflowError.js';
import { matchesErrorFilter, normalizeErrorType } from './tryTask.js';

const legacy = (kind: string) => `https://serverlessworkflow.io/dsl/errors/types/${kind}`;

const notFound: WorkflowProblem = {
  type: errorTypes.communication.type,
  status: 404,
  title: 'Not Found',
  detail: 'pet 7 does not exist',
  instance: '/do/0/getPet',
};

describe('normalizeErrorType', () => {
  it("reads the conformance kit's legacy type as the spec's standard type", () => {
    expect(normalizeErrorType(legacy('communication'))).toBe(
      'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
    );
  });

  it.each(Object.keys(errorTypes))('maps the legacy %s type to the standard one', (kind) => {
    expect(normalizeErrorType(legacy(kind))).toBe(errorTypes[kind as keyof typeof errorTypes].type);
  });

  it('leaves standard and custom types as they are', () => {
    expect(normalizeErrorType(errorTypes.timeout.type)).toBe(errorTypes.timeout.type);
    expect(normalizeErrorType('https://example.com/errors/out-of-stock')).toBe(
      'https://example.com/errors/out-of-stock',
    );
  });

  it('does not rewrite a type that only starts like the legacy form', () => {
    const longer = `${legacy('communication')}/extra`;
    expect(normalizeErrorType(longer)).toBe(longer);
  });
});

describe('matchesErrorFilter', () => {
  it('matches everything with an empty filter', () => {
    expect(matchesErrorFilter({}, notFound)).toBe(true);
  });

  it('matches the legacy communication type against the standard one', () => {
    expect(matchesErrorFilter({ type: legacy('communication') }, notFound)).toBe(true);
  });

  it('matches a legacy error type against a standard filter', () => {
    expect(
      matchesErrorFilter(
        { type: errorTypes.communication.type },
        { ...notFound, type: legacy('communication') },
      ),
    ).toBe(true);
  });

  it('does not match another type', () => {
    expect(matchesErrorFilter({ type: legacy('timeout') }, notFound)).toBe(false);
  });

  it('compares the status numerically', () => {
    expect(matchesErrorFilter({ status: 404 }, notFound)).toBe(true);
    expect(matchesErrorFilter({ status: '404' }, notFound)).toBe(true);
    expect(matchesErrorFilter({ status: 500 }, notFound)).toBe(false);
  });

  it('requires every named property to match', () => {
    expect(
      matchesErrorFilter(
        { type: legacy('communication'), status: 404, title: 'Not Found' },
        notFound,
      ),
    ).toBe(true);
    expect(
      matchesErrorFilter({ type: legacy('communication'), status: 404, title: 'Gone' }, notFound),
    ).toBe(false);
  });

  it('compares instance and detail exactly', () => {
    expect(matchesErrorFilter({ instance: '/do/0/getPet' }, notFound)).toBe(true);
    expect(matchesErrorFilter({ instance: '/do/1/getPet' }, notFound)).toBe(false);
    expect(matchesErrorFilter({ detail: 'pet 7 does not exist' }, notFound)).toBe(true);
  });

  it('does not match a property the error lacks', () => {
    const { detail: _detail, ...withoutDetail } = notFound;
    expect(matchesErrorFilter({ detail: 'pet 7 does not exist' }, withoutDetail)).toBe(false);
  });
});
