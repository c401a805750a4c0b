import { deepEqual, isObject, own } from './jsonValues.js';
import { compareLeafKeywords, leafKeywords, subjectOf } from './schemaKeywords.js';
import type { Add, Path, SchemaEffect, Schema } from './schemaKeywords.js';

/**
 * Compares two JSON Schemas by what they accept. Each finding says whether the set of accepted
 * values shrank (`narrowed`), grew (`widened`), both (`changed`), or whether AWP cannot tell
 * (`undecidable`: regular expressions, `$ref`, combinators …). Whether a direction is breaking
 * depends on who reads the schema (callers of an input, consumers of an output): that is
 * `schemaChanges.ts`'s business, not this module's.
 */

export type { SchemaEffect };

export interface SchemaFinding {
  /** Where the finding sits inside the schema document (`['properties', 'email', 'type']`). */
  path: Array<string | number>;
  effect: SchemaEffect;
  /** A clause about the accepted values: "'email' is now required". */
  description: string;
  before?: unknown;
  after?: unknown;
}

/** Keywords that describe but never reject a value. */
const annotations = new Set([
  'title',
  'description',
  'default',
  'examples',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
]);

/** Keywords compared by meaning; any other keyword that changed is undecidable. */
const understood = new Set<string>([
  ...leafKeywords,
  'properties',
  'additionalProperties',
  'items',
]);

/** Findings for every difference between two schema documents; absent means "accepts anything". */
export function compareSchemas(
  before: unknown,
  after: unknown,
  root = 'the value',
): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  compareAt(before ?? true, after ?? true, [], { root, findings });
  return findings;
}

interface Context {
  root: string;
  findings: SchemaFinding[];
}

function compareAt(before: unknown, after: unknown, path: Path, context: Context): void {
  // `true` and `{}` both accept everything.
  const b = before === true ? {} : before;
  const a = after === true ? {} : after;
  if (deepEqual(b, a)) return;
  const subject = subjectOf(path, context.root);
  const add: Add = (effect, at, description, was, now) => {
    context.findings.push({ path: at, effect, description, before: was, after: now });
  };
  if (a === false) return add('narrowed', path, `${subject} is no longer accepted at all`);
  if (b === false) return add('widened', path, `${subject} is now accepted (it was refused)`);
  if (!isObject(b) || !isObject(a)) {
    return add('undecidable', path, `${subject} is not a schema AWP can read`, b, a);
  }
  compareLeafKeywords(b, a, path, subject, add);
  compareProperties(b, a, path, context, add);
  compareItems(b, a, path, context, add);
  for (const keyword of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const was = own(b, keyword);
    const now = own(a, keyword);
    if (understood.has(keyword) || deepEqual(was, now)) continue;
    if (annotations.has(keyword)) {
      add('annotation', [...path, keyword], `${subject}: '${keyword}' changed (it only describes)`);
    } else {
      add(
        'undecidable',
        [...path, keyword],
        `${subject}: '${keyword}' changed, and AWP does not compare that keyword`,
        was,
        now,
      );
    }
  }
}

function compareProperties(b: Schema, a: Schema, path: Path, context: Context, add: Add) {
  const was = isObject(b.properties) ? b.properties : {};
  const now = isObject(a.properties) ? a.properties : {};
  const otherWas = b.additionalProperties ?? true;
  const otherNow = a.additionalProperties ?? true;
  if (deepEqual(was, now) && deepEqual(otherWas, otherNow)) return;
  if (b.patternProperties !== undefined || a.patternProperties !== undefined) {
    // A name matching a pattern escapes additionalProperties: the reasoning below would be wrong.
    return add(
      'undecidable',
      [...path, 'properties'],
      `${subjectOf(path, context.root)}: properties changed beside patternProperties, which AWP does not compare`,
    );
  }
  for (const name of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const at = [...path, 'properties', name];
    const inWas = Object.hasOwn(was, name);
    if (inWas && Object.hasOwn(now, name)) compareAt(was[name], now[name], at, context);
    else if (inWas) {
      // A property dropped from `properties` falls under additionalProperties.
      if (otherNow === false) {
        add(
          'narrowed',
          at,
          `${subjectOf(at, '')} is no longer allowed (additionalProperties is false)`,
        );
      } else compareAt(was[name], otherNow, at, context);
    } else if (otherWas === false) {
      add('widened', at, `${subjectOf(at, '')} is now allowed`);
    } else compareAt(otherWas, now[name], at, context);
  }
  if (deepEqual(otherWas === true ? {} : otherWas, otherNow === true ? {} : otherNow)) return;
  const subject = subjectOf(path, context.root);
  const at = [...path, 'additionalProperties'];
  if (otherNow === false) {
    add('narrowed', at, `${subject} no longer accepts properties other than those listed`);
  } else if (otherWas === false) {
    add('widened', at, `${subject} now accepts properties other than those listed`);
  } else compareAt(otherWas, otherNow, at, context);
}

function compareItems(b: Schema, a: Schema, path: Path, context: Context, add: Add) {
  if (deepEqual(b.items, a.items)) return;
  if (Array.isArray(b.items) || Array.isArray(a.items)) {
    return add(
      'undecidable',
      [...path, 'items'],
      `${subjectOf(path, context.root)}: tuple items changed, which AWP does not compare`,
      b.items,
      a.items,
    );
  }
  compareAt(b.items ?? true, a.items ?? true, [...path, 'items'], context);
}
