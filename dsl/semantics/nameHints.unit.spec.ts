import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance, quotedList } from './nameHints.js';

describe('nameHints', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('setGreen', 'setGreen')).toBe(0);
    expect(editDistance('setGren', 'setGreen')).toBe(1);
    expect(editDistance('setGrene', 'setGreen')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close names', () => {
    expect(closestName('setGren', ['setRed', 'setGreen'])).toBe('setGreen');
    expect(closestName('SETRED', ['setRed'])).toBe('setRed');
    expect(closestName('x', ['completelyDifferent'])).toBeUndefined();
    expect(didYouMean('fetch', ['fetchh'])).toBe(" (did you mean 'fetchh'?)");
    expect(didYouMean('fetch', [])).toBe('');
  });

  it('lists names in a sentence, shortened past a maximum', () => {
    expect(quotedList([])).toBe('');
    expect(quotedList(['a'])).toBe("'a'");
    expect(quotedList(['a', 'b', 'c'])).toBe("'a', 'b' and 'c'");
    expect(quotedList(['a', 'b', 'c', 'd'], 2)).toBe("'a', 'b' and 2 more");
  });
});
