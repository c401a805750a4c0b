import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../model/workflowModel.js';
import { compareSchemas } from './schemaComparison.js';

const order = (extra: Record<string, JsonValue> = {}): Record<string, JsonValue> => ({
  type: 'object',
  required: ['sku'],
  properties: {
    sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$', maxLength: 20 },
    qty: { type: 'integer', minimum: 1, maximum: 100 },
    channel: { enum: ['web', 'phone'] },
    note: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  ...extra,
});

describe('compareSchemas', () => {
  it('finds nothing between schemas that accept the same values', () => {
    expect(compareSchemas(true, {})).toEqual([]);
    expect(compareSchemas(undefined, {})).toEqual([]);
    expect(compareSchemas(order(), structuredClone(order()))).toEqual([]);
  });

  it('reads a false schema as accepting nothing', () => {
    expect(compareSchemas({ type: 'string' }, false).map((f) => f.effect)).toEqual(['narrowed']);
    expect(compareSchemas(false, { type: 'string' }).map((f) => f.effect)).toEqual(['widened']);
  });

  it('names nested places by their property path', () => {
    const before = { properties: { customer: { properties: { email: { type: 'string' } } } } };
    const after = {
      properties: { customer: { properties: { email: { type: 'string', format: 'email' } } } },
    };
    expect(compareSchemas(before, after, 'the input')).toEqual([
      expect.objectContaining({
        path: ['properties', 'customer', 'properties', 'email', 'format'],
        effect: 'narrowed',
        description: "'customer.email' must now be formatted as 'email'",
      }),
    ]);
  });

  it('will not guess around patternProperties', () => {
    const findings = compareSchemas(
      { patternProperties: { '^x-': {} }, properties: { a: {} } },
      { patternProperties: { '^x-': {} }, properties: { a: {}, b: { type: 'string' } } },
    );
    expect(findings.map((f) => f.effect)).toEqual(['undecidable']);
  });
});
