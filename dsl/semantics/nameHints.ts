/**
 * How messages quote what the author wrote. Names and values come from the document and can be
 * of any length, and some messages repeat them (the names of a list, in every problem of that
 * list), so every quote is cut. The search for close names is `model/nameHints.ts`.
 */
import type { NameHints } from '../model/nameHints.js';

/** Most characters of a name a message is about: as long as a name that can get a hint. */
export const maxQuotedName = 64;
/** Most characters of each name in a list, which messages repeat. */
export const maxListedName = 40;

/** `text` cut to at most `max` characters, ending in `...` when cut. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 3);
  // Never split a surrogate pair: half of one is not a character.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}...`;
}

/** `'name'`, cut past `max` characters. */
export function quotedName(name: string, max = maxQuotedName): string {
  return `'${shortened(name, max)}'`;
}

/** ` (did you mean 'x'?)`, or nothing. The suggestion is short already (`maxHintedNameLength`). */
export function didYouMean(target: string, hints: NameHints): string {
  const close = hints.closest(target);
  return close === undefined ? '' : ` (did you mean '${close}'?)`;
}

/** `'a', 'b' and 'c'`, shortened past `max` names, each name cut. */
export function quotedList(names: readonly string[], max = 10): string {
  const quoted = names.slice(0, max).map((name) => quotedName(name, maxListedName));
  if (names.length > max) return `${quoted.join(', ')} and ${names.length - max} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
