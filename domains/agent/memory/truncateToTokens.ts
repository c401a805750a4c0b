/** Counts the tokens a text will take; only needs to grow with the text's length. */
export type TokenEstimator = (text: string) => number;

const marker = (omitted: number) =>
  `\n[… ${omitted} characters omitted to fit the model's context window …]\n`;

/**
 * The text cut to at most `maxTokens`, or `undefined` when even the omission marker does not
 * fit. Keeps the start and the end, because a long message usually states its question or
 * instruction at one of them; the marker tells the model that the middle is missing.
 */
export function truncateToTokens(
  text: string,
  maxTokens: number,
  estimate: TokenEstimator,
): string | undefined {
  if (estimate(text) <= maxTokens) return text;
  const cut = (kept: number) => {
    const head = surrogateSafe(text, Math.ceil(kept / 2));
    const tailStart = surrogateSafe(text, text.length - (kept - Math.ceil(kept / 2)));
    return text.slice(0, head) + marker(tailStart - head) + text.slice(tailStart);
  };
  if (estimate(cut(0)) > maxTokens) return undefined;
  // Binary search for the most characters that fit; the estimator is only assumed monotonic.
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimate(cut(middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return cut(low);
}

/** Moves a cut off the middle of a surrogate pair, so no half of an emoji is left behind. */
function surrogateSafe(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return index > 0 && index < text.length && code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}
