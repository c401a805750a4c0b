import { describe, expect, it } from 'vitest';
import { createNameHints } from '../model/nameHints.js';
import { didYouMean, maxListedName, quotedList, quotedName, shortened } from './nameHints.js';

describe('nameHints', () => {
  it('suggests a close name in words, or nothing', () => {
    expect(didYouMean('fetch', createNameHints(['fetchh']))).toBe(" (did you mean 'fetchh'?)");
    expect(didYouMean('fetch', createNameHints([]))).toBe('');
  });

  it('lists names in a sentence, shortened past a maximum', () => {
    expect(quotedList([])).toBe('');
    expect(quotedList(['a'])).toBe("'a'");
    expect(quotedList(['a', 'b', 'c'])).toBe("'a', 'b' and 'c'");
    expect(quotedList(['a', 'b', 'c', 'd'], 2)).toBe("'a', 'b' and 2 more");
  });

  it('cuts every name of a list, so a list of 20,000-character names stays short', () => {
    // Issue: each problem of a list repeated its names whole (10 names of 20,000 characters,
    // in 2,000 problems, made 400 MB of messages).
    const names = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(20_000));
    const listed = quotedList(names);
    expect(listed.length).toBeLessThan(12 * (maxListedName + 4));
    expect(listed.startsWith(`'${'a'.repeat(maxListedName - 3)}...', 'bbb`)).toBe(true);
  });

  it('cuts a quoted name and marks the cut, never inside a surrogate pair', () => {
    expect(quotedName('short')).toBe("'short'");
    expect(quotedName('x'.repeat(64))).toBe(`'${'x'.repeat(64)}'`);
    expect(quotedName('x'.repeat(65))).toBe(`'${'x'.repeat(61)}...'`);
    expect(shortened('abcdef', 5)).toBe('ab...');
    expect(shortened('ab😀cd', 5)).toBe('ab...');
    expect(shortened('a😀bcd', 5)).toBe('a...');
  });
});
