/**
 * Maps keyed by strings of any length, for keys that come from a document: task names, JSON
 * pointers, URIs.
 *
 * V8 hashes a string longer than 16,383 UTF-16 units by its length alone (String::
 * kMaxHashCalcLength), so a plain `Map` or `Set` holding many long keys of one length probes
 * them all on every call: quadratic, and a JSON pointer repeats its ancestors' names, so one
 * 100 KB task name gives every task below it such a key. Here a long key is cut into chunks, each
 * short enough to be hashed in full, and looked up level by level: exact, and linear in the key.
 */

/** Longest key V8 hashes by its content. */
const hashedLength = 16_383;
/** What a long key is cut into, level by level. */
const chunkLength = 8_192;

interface Level {
  /** Keys (or their remaining part) short enough to be hashed, to their slot. */
  here: Map<string, number>;
  /** Longer ones by their first chunk. */
  deeper: Map<string, Level>;
}

const emptyLevel = (): Level => ({ here: new Map(), deeper: new Map() });

/** A map from strings, in insertion order, whatever the keys' length. */
export interface TextMap<V> {
  readonly size: number;
  get(key: string): V | undefined;
  has(key: string): boolean;
  set(key: string, value: V): void;
  entries(): IterableIterator<[string, V]>;
}

/** A set of strings, in insertion order, whatever their length. */
export interface TextSet {
  readonly size: number;
  has(key: string): boolean;
  add(key: string): void;
  values(): IterableIterator<string>;
}

/** An empty `TextMap`. */
export function createTextMap<V>(): TextMap<V> {
  const root = emptyLevel();
  const keys: string[] = [];
  const values: V[] = [];
  // The last key found: callers often look one key up many times over (an item and each of its
  // sites), and the same string instance compares in constant time, where a lookup reads it all.
  let lastKey: string | undefined;
  let lastSlot = -1;
  /** The key's slot in `keys`/`values`; with `create`, a new slot if it has none. */
  const slotOf = (key: string, create: boolean): number | undefined => {
    if (key === lastKey) return lastSlot;
    let level = root;
    let rest = key;
    while (rest.length > hashedLength) {
      const head = rest.slice(0, chunkLength);
      let next = level.deeper.get(head);
      if (next === undefined) {
        if (!create) return undefined;
        next = emptyLevel();
        level.deeper.set(head, next);
      }
      level = next;
      rest = rest.slice(chunkLength);
    }
    let slot = level.here.get(rest);
    if (slot === undefined && create) {
      slot = keys.length;
      level.here.set(rest, slot);
      keys.push(key);
      values.push(undefined as V);
    }
    if (slot !== undefined) {
      lastKey = key;
      lastSlot = slot;
    }
    return slot;
  };
  return {
    get size() {
      return keys.length;
    },
    get(key) {
      const slot = slotOf(key, false);
      return slot === undefined ? undefined : values[slot];
    },
    has(key) {
      return slotOf(key, false) !== undefined;
    },
    set(key, value) {
      values[slotOf(key, true) as number] = value;
    },
    *entries() {
      for (let slot = 0; slot < keys.length; slot += 1) {
        yield [keys[slot] as string, values[slot] as V];
      }
    },
  };
}

/** A `TextSet`, holding `initial` to begin with. */
export function createTextSet(initial: Iterable<string> = []): TextSet {
  const map = createTextMap<true>();
  for (const key of initial) map.set(key, true);
  return {
    get size() {
      return map.size;
    },
    has: (key) => map.has(key),
    add: (key) => map.set(key, true),
    *values() {
      for (const [key] of map.entries()) yield key;
    },
  };
}
