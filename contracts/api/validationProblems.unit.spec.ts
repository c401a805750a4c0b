import { describe, expect, it } from 'vitest';
import { sentenceFor, validationErrorOf, violationSite } from './validationProblems.js';

const objects = new Set(['tenant', 'query', 'tierChange', '_resumption']);

describe('violationSite', () => {
  it('names a body field by its path, and the body by its parameter', () => {
    expect(violationSite('tenant.tier', objects)).toEqual({ subject: 'tenant', field: 'tier' });
    expect(violationSite('tenant.address.city', objects)).toEqual({
      subject: 'tenant',
      field: 'address.city',
    });
    expect(violationSite('query.limit', objects)).toEqual({ subject: 'query', field: 'limit' });
  });

  it('calls a body that failed as a whole (root)', () => {
    expect(violationSite('tenant', objects)).toEqual({ subject: 'tenant', field: '(root)' });
  });

  it('leaves path and query parameters as they are, as part of the request', () => {
    expect(violationSite('accountId', objects)).toEqual({ subject: 'request', field: 'accountId' });
  });

  it('writes array items as JSON paths do', () => {
    expect(violationSite('roles.$0', objects)).toEqual({ subject: 'request', field: 'roles.0' });
    expect(violationSite('tenant.tags.$12.name', objects)).toEqual({
      subject: 'tenant',
      field: 'tags.12.name',
    });
  });

  it('reads camelCase parameter names as words, without a leading underscore', () => {
    expect(violationSite('tierChange.tier', objects).subject).toBe('tier change');
    expect(violationSite('_resumption.reason', objects).subject).toBe('resumption');
  });
});

describe('sentenceFor', () => {
  it.each([
    ["'name' is required", 'is required'],
    [
      '"admin" is an excess property and therefore is not allowed',
      'is not a property of this request',
    ],
    [
      "should be one of the following; ['free','pro','enterprise']",
      'must be one of free, pro, enterprise',
    ],
    ["should be one of the following; ['1.0']", 'must be 1.0'],
    ['invalid integer number', 'must be a whole number'],
    ['invalid object', 'must be a JSON object'],
    ['must be at least 1', 'must be at least 1'],
  ])('rewrites %j as %j', (message, sentence) => {
    expect(sentenceFor(message)).toBe(sentence);
  });
});

describe('validationErrorOf', () => {
  it('is a validation error naming the first field, with every violation', () => {
    const error = validationErrorOf(
      {
        'tenant.tier': { message: "should be one of the following; ['free','pro']", value: 'x' },
        'tenant.name': { message: "'name' is required" },
      },
      objects,
    );
    expect(error.code).toBe('validation');
    expect(error.message).toBe("invalid tenant: 'tier' must be one of free, pro");
    expect(error.details).toEqual({
      field: 'tier',
      violations: [
        { field: 'tier', message: 'must be one of free, pro' },
        { field: 'name', message: 'is required' },
      ],
    });
  });
});
