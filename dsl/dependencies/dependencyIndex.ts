/** Collects items by identity, merging where they are used; the output does not depend on visit order. */

import { createTextMap, createTextSet } from './textKeyedMap.js';
import type { TextSet } from './textKeyedMap.js';

/** Numeric segments become fixed-width, so plain string order compares them as numbers. */
const orderKey = (pointer: string): string =>
  pointer.replace(/\/(\d+)(?=\/|$)/g, (_, digits: string) => `/${digits.padStart(10, '0')}`);

/** JSON pointers sorted with numeric segments compared as numbers: a list's tasks in document order. */
export function sortPointers(pointers: Iterable<string>): string[] {
  return [...pointers]
    .map((pointer) => [orderKey(pointer), pointer] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, pointer]) => pointer);
}

export interface DependencyIndex<T extends { usedBy: string[] }> {
  /** Records that `site` uses the item with identity `key`, creating it with `create` if new. */
  add(key: string, create: () => Omit<T, 'usedBy'>, site?: string): void;
  /** The items sorted by identity, each `usedBy` in document order. */
  items(): T[];
}

/** An empty index for one kind of dependency. */
export function createDependencyIndex<T extends { usedBy: string[] }>(): DependencyIndex<T> {
  // Keys hold URIs and names, sites are pointers: either may be long (see textKeyedMap.ts).
  const entries = createTextMap<{ item: Omit<T, 'usedBy'>; sites: TextSet }>();
  return {
    add(key, create, site) {
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = { item: create(), sites: createTextSet() };
        entries.set(key, entry);
      }
      if (site !== undefined) entry.sites.add(site);
    },
    items() {
      // Code-point order, not localeCompare: the same on every machine.
      return [...entries.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, { item, sites }]) => ({ ...item, usedBy: sortPointers(sites.values()) }) as T);
    },
  };
}

/** An identity key from an item's identifying fields (absent ones included, so they never collide). */
export function keyOf(...parts: Array<string | number | undefined>): string {
  return JSON.stringify(parts.map((part) => part ?? null));
}

/** `fields` without the ones that are undefined, so JSON output never carries empty keys. */
export function definedFields<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
