import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, clipped, compactValue, deepEqual, quoted, valueAt } from './jsonValues.js';

/** The same value with every mapping's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversedKeys(item)]),
    );
  }
  return value;
}

describe('deepEqual', () => {
  it('agrees with comparing canonical JSON texts', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(deepEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
        expect(deepEqual(a, reversedKeys(a))).toBe(true);
      }),
    );
  });

  it('treats a key holding undefined as absent, and tells arrays from mappings', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(true);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual(undefined, null)).toBe(false);
    expect(deepEqual(Number.NaN, null)).toBe(canonicalJson(Number.NaN) === canonicalJson(null));
  });

  it('does not find a key on the prototype', () => {
    expect(deepEqual({ constructor: 1 }, JSON.parse('{"toString": 1}'))).toBe(false);
    expect(deepEqual(JSON.parse('{"a": 1}'), { a: 1, constructor: undefined })).toBe(true);
  });
});

describe('valueAt', () => {
  it('reads own keys only', () => {
    expect(valueAt({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(valueAt({}, ['constructor'])).toBeUndefined();
    expect(valueAt({ a: [{ b: 2 }] }, ['a', 0, 'b'])).toBe(2);
  });
});

describe('compactValue and quoted', () => {
  it('shows short values whole, keys sorted, and cuts long ones', () => {
    expect(compactValue({ b: 1, a: [true, null] })).toEqual({ a: [true, null], b: 1 });
    expect(compactValue('x'.repeat(200))).toBe(`"${'x'.repeat(158)}…`);
    expect(clipped('y'.repeat(500))).toHaveLength(160);
    expect(compactValue(undefined)).toBeUndefined();
  });

  it('never shows a credential, even in a value quoted in a sentence', () => {
    const policy = { authentication: { bearer: { token: 'hunter2' } } };
    expect(compactValue(policy)).toEqual({ authentication: { bearer: { token: '[redacted]' } } });
    expect(compactValue('hunter2', ['use', 'authentications', 'x', 'basic', 'password'])).toBe(
      '[redacted]',
    );
    expect(quoted(policy)).not.toContain('hunter2');
  });
});
