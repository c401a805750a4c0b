import { typeWords } from './schemaVocabulary.js';

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** `'name'`. */
export const quoted = (name: string) => `'${name}'`;

/** "1 item", "2 properties". */
export const counted = (n: number, noun: string) =>
  `${n} ${n === 1 ? noun : noun === 'property' ? 'properties' : `${noun}s`}`;

/** What a value is, for "must be X, not Y": "a list", "a whole number", "empty". */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return typeWords[typeof value] ?? typeof value;
}
