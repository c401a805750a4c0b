import { clipped, deepEqual, isObject, own } from './jsonValues.js';
import type { Compatibility } from './workflowChange.js';

/**
 * Classifies a change to a value that shapes data someone else reads: `output.as`, `export.as`,
 * a `set` task's value, an emitted event's `data`. What AWP can decide is the *keys* of a literal
 * mapping and the JSON types of literal values; what a jq expression produces it cannot know.
 *
 * - a key no longer produced, or a literal whose JSON type changed → breaking: a reader of that
 *   key gets null or another type;
 * - keys only added, or values that stay expressions (or become them) → compatible: readers that
 *   do not know a key ignore it, and AWP assumes a rewritten expression keeps its result's type
 *   (it says so in the reason, so the approver can disagree);
 * - a whole expression replaced, or a transformation added or removed → breaking, because the
 *   result's shape cannot be inferred.
 */

export interface ShapeVerdict {
  compatibility: Compatibility;
  /** A clause: "it no longer produces 'total'". */
  why: string;
}

const isExpression = (value: unknown) => typeof value === 'string' && /^\s*\$\{/.test(value);

function literalType(value: unknown): string {
  if (isExpression(value)) return 'expression';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return isObject(value) ? 'mapping' : typeof value;
}

interface KeyFindings {
  removed: string[];
  added: string[];
  retyped: string[];
}

/** Walks two literal mappings side by side, recursing where both sides are mappings. */
function compareKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  found: KeyFindings,
): void {
  for (const key of Object.keys(before)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (!Object.hasOwn(after, key)) {
      found.removed.push(name);
      continue;
    }
    const was = own(before, key);
    const now = own(after, key);
    if (isObject(was) && isObject(now)) compareKeys(was, now, name, found);
    else if (!deepEqual(was, now)) {
      const types = [literalType(was), literalType(now)];
      // A computed value may be of any type: only a change between two known types is a break.
      const known = types.every((type) => type !== 'expression');
      if (known && types[0] !== types[1]) found.retyped.push(`${name} (${types[0]} → ${types[1]})`);
      else if (types.includes('mapping') && types[0] !== types[1]) found.retyped.push(name);
    }
  }
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) found.added.push(prefix === '' ? key : `${prefix}.${key}`);
  }
}

/** Keys a reason names: a mapping of thousands of keys makes a sentence nobody reads. */
const maxListedKeys = 5;

const names = (keys: string[]) => {
  const shown = keys.slice(0, maxListedKeys).map((key) => `'${clipped(key)}'`);
  const more = keys.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
};

/** The verdict for a changed shaping value; undefined when nothing changed. */
export function shapeChange(before: unknown, after: unknown): ShapeVerdict | undefined {
  if (deepEqual(before, after)) return undefined;
  if (before === undefined) {
    return {
      compatibility: 'breaking',
      why: 'a transformation was added, so readers get its result instead of the value they got',
    };
  }
  if (after === undefined) {
    return {
      compatibility: 'breaking',
      why: 'its transformation was removed, so readers get the untransformed value',
    };
  }
  if (isObject(before) && isObject(after)) {
    const found: KeyFindings = { removed: [], added: [], retyped: [] };
    compareKeys(before, after, '', found);
    if (found.removed.length > 0) {
      return { compatibility: 'breaking', why: `it no longer produces ${names(found.removed)}` };
    }
    if (found.retyped.length > 0) {
      return { compatibility: 'breaking', why: `the type of ${names(found.retyped)} changed` };
    }
    const plus = found.added.length > 0 ? ` and now also ${names(found.added)}` : '';
    return {
      compatibility: 'compatible',
      why: `it still produces every key it did${plus}; AWP assumes rewritten expressions keep their result types`,
    };
  }
  // A string in place of the whole value is a runtime expression, with or without `${ }`
  // (`export.as: '$context + .'` in the spec's own examples).
  const types = [before, after].map((v) => (typeof v === 'string' ? 'expression' : literalType(v)));
  if (types[0] === types[1] && types[0] !== 'expression') {
    return { compatibility: 'compatible', why: `it is still a literal ${types[0]}` };
  }
  return {
    compatibility: 'breaking',
    why: 'the value was replaced by one whose shape AWP cannot infer (a jq expression or another type)',
  };
}
