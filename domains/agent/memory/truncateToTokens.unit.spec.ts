import { describe, expect, it } from 'vitest';
import { truncateToTokens } from './truncateToTokens.js';

const characters = (text: string) => text.length;

describe('truncateToTokens', () => {
  it('returns a text that fits unchanged', () => {
    expect(truncateToTokens('short', 5, characters)).toBe('short');
  });

  it('keeps the start and the end and says how much of the middle is gone', () => {
    const text = `${'a'.repeat(500)}${'m'.repeat(1_000)}${'z'.repeat(500)}`;
    const cut = truncateToTokens(text, 200, characters)!;
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(
      /^a+\n\[… \d+ characters omitted to fit the model's context window …\]\nz+$/,
    );
    const [, head, omitted, tail] = /^(a+)\n\[… (\d+) characters[^\n]*\n(z+)$/.exec(cut)!;
    expect(head!.length + Number(omitted) + tail!.length).toBe(text.length);
  });

  it('uses as much of the budget as the estimator allows', () => {
    const cut = truncateToTokens('x'.repeat(10_000), 400, characters)!;
    expect(cut.length).toBeGreaterThan(395);
  });

  it('gives up when not even the omission marker fits', () => {
    expect(truncateToTokens('x'.repeat(1_000), 10, characters)).toBeUndefined();
  });

  it('never leaves half of a surrogate pair at a cut', () => {
    const text = '😀'.repeat(400);
    for (const budget of [100, 101, 102, 103]) {
      const cut = truncateToTokens(text, budget, characters)!;
      expect(cut).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    }
  });
});
