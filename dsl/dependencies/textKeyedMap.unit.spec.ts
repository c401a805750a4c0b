import { describe, expect, it } from 'vitest';
import { createTextMap, createTextSet } from './textKeyedMap.js';

describe('createTextMap', () => {
  it('tells apart long keys that differ only in one place, whatever the place', () => {
    const base = 'x'.repeat(40_000);
    const variants = [
      '',
      'x',
      'x'.repeat(16_383),
      'x'.repeat(16_384),
      'x'.repeat(8_192),
      base,
      `${base}y`,
      `y${base.slice(1)}`,
      `${base.slice(0, 8_191)}y${base.slice(8_192)}`,
      `${base.slice(0, 8_192)}y${base.slice(8_193)}`,
      `${base.slice(0, 20_000)}y${base.slice(20_001)}`,
    ];
    const map = createTextMap<number>();
    variants.forEach((key, i) => map.set(key, i));
    expect(map.size).toBe(variants.length);
    variants.forEach((key, i) => expect(map.get(key)).toBe(i));
    // Equal text built another way finds the same entry.
    expect(map.get(['x'.repeat(20_000), 'x'.repeat(20_000)].join(''))).toBe(5);
    expect(map.has(`${base}z`)).toBe(false);
    expect(map.get('x'.repeat(16_385))).toBeUndefined();
    map.set(base, 99);
    expect(map.get(base)).toBe(99);
    expect([...map.entries()].map(([key, value]) => [key.length, value])).toEqual(
      variants.map((key, i) => [key.length, i === 5 ? 99 : i]),
    );
  });

  // V8 hashes a string of more than 16,383 units by its length: a Set of 1,000 such keys of one
  // length took seconds, as a graph under one 20,000-character task name does.
  it('holds 1,000 keys of 20,000 characters that differ only at their end', () => {
    const prefix = 'p'.repeat(20_000);
    const keys = Array.from({ length: 1_000 }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    const set = createTextSet(keys);
    for (const key of keys) set.add(key);
    expect(set.size).toBe(1_000);
    expect(keys.every((key) => set.has(key))).toBe(true);
    expect(set.has(`${prefix}1000`)).toBe(false);
    expect([...set.values()]).toEqual(keys);
  });
});
