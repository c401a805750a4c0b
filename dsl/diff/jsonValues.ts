import type { JsonValue } from '../model/workflowModel.js';
import { redactSecrets } from './redactSecrets.js';

/** Plain parsed values as the diff reads them: type guards, structural equality, display form. */

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON text with object keys sorted, so two values are equal exactly when their texts are. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  // undefined only reaches here at the top level (absent field); keep it distinct from null.
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/**
 * Structural equality of parsed values; key order does not matter, array order does. Equal
 * exactly when the canonical JSON texts are, but walked side by side and stopped at the first
 * difference: the schema and configuration comparisons ask again at every level of a nested
 * value, and serializing the whole subtree each time made that quadratic in its depth.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    // Keys holding undefined are absent, as in canonicalJson.
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const count = Object.keys(b).filter((key) => b[key] !== undefined).length;
    return (
      keys.length === count &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  // Scalars as their JSON texts: NaN and null both read as null, -0 as 0.
  return canonicalJson(a) === canonicalJson(b);
}

/** The value of `record`'s own `key`: a key named `constructor` must not find Object's. */
export const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isObject(current) && typeof segment === 'string') current = own(current, segment);
    else return undefined;
  }
  return current;
}

/** Longest value (as JSON text) a change carries whole; approvers read diffs, not dumps. */
const maxCompactLength = 160;

/** `text` cut to the length of a compact value, ending in '…' when it was longer. */
export function clipped(text: string): string {
  return text.length <= maxCompactLength ? text : `${text.slice(0, maxCompactLength - 1)}…`;
}

/**
 * A value small enough to show beside a change, without credentials (see `redactSecrets`; `at`
 * is where the value sits in the document): the value itself when its JSON is short, otherwise
 * the start of its JSON text ending in '…'.
 */
export function compactValue(
  value: unknown,
  at: readonly (string | number)[] = [],
): JsonValue | undefined {
  if (value === undefined) return undefined;
  const shown = redactSecrets(value, at);
  const text = canonicalJson(shown);
  if (text.length > maxCompactLength) return clipped(text);
  // A scalar is its own compact form; a structure is rebuilt from its text, keys sorted.
  return typeof shown === 'object' && shown !== null
    ? (JSON.parse(text) as JsonValue)
    : (shown as JsonValue);
}

/** A value quoted for a sentence: strings in quotes, others as one-line JSON. */
export function quoted(value: unknown, at: readonly (string | number)[] = []): string {
  const compact = compactValue(value, at);
  return typeof compact === 'string' ? `'${compact}'` : canonicalJson(compact);
}
