import type { JsonValue } from '../model/workflowModel.js';

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

/** Structural equality of parsed values; key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/** Longest value (as JSON text) a change carries whole; approvers read diffs, not dumps. */
const maxCompactLength = 160;

/**
 * A value small enough to show beside a change: the value itself when its JSON is short,
 * otherwise the start of its JSON text ending in '…'.
 */
export function compactValue(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  const text = canonicalJson(value);
  if (text.length <= maxCompactLength) return JSON.parse(text) as JsonValue;
  return `${text.slice(0, maxCompactLength - 1)}…`;
}

/** A value quoted for a sentence: strings in quotes, others as one-line JSON. */
export function quoted(value: unknown): string {
  const compact = compactValue(value);
  return typeof compact === 'string' ? `'${compact}'` : canonicalJson(compact);
}
