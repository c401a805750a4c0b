import { describe, expect, it } from 'vitest';
import {
  closestName,
  createHintBudget,
  createNameHints,
  editDistance,
  maxHintCandidates,
} from './nameHints.js';

describe('editDistance', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('setGreen', 'setGreen')).toBe(0);
    expect(editDistance('setGren', 'setGreen')).toBe(1);
    expect(editDistance('setGrene', 'setGreen')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  it('stops at max + 1 once the distance is surely past max', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 3)).toBe(4);
    expect(editDistance('setGren', 'setGreen', 1)).toBe(1);
  });
});

describe('closestName', () => {
  it('suggests only close names, a name differing in case first', () => {
    expect(closestName('setGren', ['setRed', 'setGreen'])).toBe('setGreen');
    expect(closestName('SETRED', ['setRed'])).toBe('setRed');
    expect(closestName('setred', ['setRez', 'setRed'])).toBe('setRed');
    expect(closestName('x', ['completelyDifferent'])).toBeUndefined();
    expect(closestName('fetch', [])).toBeUndefined();
  });

  it('never suggests the name itself', () => {
    expect(closestName('fetch', ['fetch'])).toBeUndefined();
    expect(closestName('fetch', ['fetch', 'fetchh'])).toBe('fetchh');
  });

  it('breaks ties by code-unit order, whatever the order of the candidates', () => {
    expect(closestName('cat', ['cut', 'bat'])).toBe('bat');
    expect(closestName('cat', ['bat', 'cut'])).toBe('bat');
  });

  it('reads any iterable, such as a set', () => {
    expect(closestName('methd', new Set(['body', 'method']))).toBe('method');
  });

  it('gives no hint for names of 40,000 characters instead of building a table of their size', () => {
    // Issue: a table of (a+1)(b+1) cells for two 40,000-character names ran out of memory.
    const long = 'a'.repeat(40_000);
    expect(closestName(long, [`${long}b`, 'a'.repeat(39_999)])).toBeUndefined();
    expect(closestName('aaaa', [long, 'aaab'])).toBe('aaab');
  });

  it(`considers only the first ${maxHintCandidates} candidates`, () => {
    const others = Array.from({ length: maxHintCandidates - 1 }, (_, i) => `zz${i}zz`);
    expect(closestName('setGren', [...others, 'setGreen'])).toBe('setGreen');
    expect(closestName('setGren', [...others, 'other', 'setGreen'])).toBeUndefined();
  });
});

describe('createNameHints', () => {
  it('answers 5,000 questions over 5,000 names within one budget of work', () => {
    // Issue: closestName per problem over every name took 45 s for 5,000 broken thens.
    const names = Array.from({ length: 5_000 }, (_, i) => `step${i}`);
    const budget = createHintBudget();
    const hints = createNameHints(names, budget);
    const answers = Array.from({ length: 5_000 }, (_, i) => hints.closest(`stpe${i}`));
    expect(answers.slice(0, 3)).toEqual(['step0', 'step1', 'step2']);
    // Then the budget runs out and the rest get no hint; nothing is spent past it.
    expect(answers.at(-1)).toBeUndefined();
    expect(budget.cells).toBeLessThanOrEqual(0);
    expect(budget.cells).toBeGreaterThan(-100);
  });

  it('stops suggesting once the shared budget is spent, and spends no more', () => {
    const budget = createHintBudget(1_000);
    const names = Array.from({ length: 200 }, (_, i) => `name${i}`);
    const first = createNameHints(names, budget);
    const second = createNameHints(['setGreen'], budget);
    expect(first.closest('name1x')).toBe('name1');
    const left = budget.cells;
    expect(left).toBeLessThan(1_000);
    for (let i = 0; i < 100; i++) first.closest(`other${i}`);
    expect(budget.cells).toBeLessThanOrEqual(0);
    expect(second.closest('setGren')).toBeUndefined();
  });

  it('searches a repeated name once', () => {
    const budget = createHintBudget();
    const hints = createNameHints(['setGreen', 'setRed'], budget);
    expect(hints.closest('setGren')).toBe('setGreen');
    const spent = budget.cells;
    expect(hints.closest('setGren')).toBe('setGreen');
    expect(budget.cells).toBe(spent);
  });
});
