/**
 * Narrowing for the plain parsed value. Semantic rules run after the schema, but they must never
 * crash on a shape the schema let through or a caller handed in unchecked.
 */

export type PlainObject = Record<string, unknown>;

export const isObject = (value: unknown): value is PlainObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` when it is a plain object, otherwise an empty one (so lookups on it are safe). */
export const objectOrEmpty = (value: unknown): PlainObject => (isObject(value) ? value : {});

/** The string keys of an object-valued field, or none. */
export const namesOf = (value: unknown): string[] => (isObject(value) ? Object.keys(value) : []);
