/**
 * Text taken from a tenant's OpenAPI document (summaries, descriptions, titles). It is kept as
 * written, never interpreted, but it reaches terminals, web pages and model prompts, so the
 * characters that can hide or reorder what a reader sees are removed and its length is bounded.
 */

/** How long each kind of text may be once kept; longer text is cut and ends with `…`. */
export const untrustedTextLimits = {
  summary: 300,
  description: 2_000,
  title: 200,
} as const;

/**
 * C0 controls other than tab and line feed, DEL and the C1 controls; the bidirectional
 * overrides and isolates ("Trojan Source": text that displays in another order than it reads);
 * zero-width characters and the byte-order mark, which hide text from a human reviewer.
 */
const hidden =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The text without hidden characters (carriage returns become line feeds), trimmed, and cut to
 * `maxLength` characters; `undefined` when nothing is left or the value is not a string.
 */
export function sanitizedText(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(/\r\n?/g, '\n').replace(hidden, '').trim();
  if (cleaned === '') return undefined;
  const characters = Array.from(cleaned);
  if (characters.length <= maxLength) return cleaned;
  // Cut on code points, not UTF-16 units, so a surrogate pair is never split in half.
  return `${characters
    .slice(0, maxLength - 1)
    .join('')
    .trimEnd()}…`;
}
