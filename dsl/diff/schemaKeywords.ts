import { canonicalJson, clipped, deepEqual, quoted } from './jsonValues.js';

/**
 * The leaf keywords of a JSON Schema compared by what they accept: `type`, `enum`/`const`, the
 * numeric, length, item and property-count bounds, `multipleOf`, `pattern`, `format`,
 * `uniqueItems` and `required`. The structure (`properties`, `additionalProperties`, `items`)
 * recurses in `schemaComparison.ts`.
 */

export type SchemaEffect = 'narrowed' | 'widened' | 'changed' | 'undecidable' | 'annotation';
export type Path = Array<string | number>;
export type Schema = Record<string, unknown>;
export type Add = (
  effect: SchemaEffect,
  at: Path,
  description: string,
  was?: unknown,
  now?: unknown,
) => void;

const lowerBounds = ['minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maxLength', 'maxItems', 'maxProperties'] as const;

/** The keywords this module compares. */
export const leafKeywords: readonly string[] = [
  'type',
  'enum',
  'const',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  ...lowerBounds,
  ...upperBounds,
  'multipleOf',
  'pattern',
  'format',
  'uniqueItems',
  'required',
];

/** Compares every leaf keyword of two schema objects at `path`. */
export function compareLeafKeywords(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  compareTypes(b, a, path, subject, add);
  compareValues(b, a, path, subject, add);
  compareNumberBounds(b, a, path, subject, add);
  compareLengthBounds(b, a, path, subject, add);
  compareMultipleOf(b, a, path, subject, add);
  compareStringRules(b, a, path, subject, add);
  compareRequired(b, a, path, add);
}

/** How a place in the schema is named: `'customer.email'`, `'items[]'`, or the root's name. */
export function subjectOf(path: Path, root: string): string {
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (segment === 'properties' && i + 1 < path.length) {
      const name = String(path[++i]);
      text = text === '' ? name : `${text}.${name}`;
    } else if (segment === 'items') text = `${text}[]`;
    else if (segment === 'additionalProperties') text = text === '' ? '*' : `${text}.*`;
  }
  return text === '' ? root : `'${text}'`;
}

function listOf(values: unknown[]): string {
  const shown = values
    .slice(0, 5)
    .map((value) => quoted(value))
    .join(', ');
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

function typesOf(schema: Schema): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

/** `integer` is a subset of `number`. */
const allowsType = (types: ReadonlySet<string>, type: string) =>
  types.has(type) || (type === 'integer' && types.has('number'));

function compareTypes(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  const was = typesOf(b);
  const now = typesOf(a);
  const at = [...path, 'type'];
  if (deepEqual(was, now)) return;
  if (was === undefined && now !== undefined) {
    return add('narrowed', at, `${subject} must now be of type ${listOf(now)}`, undefined, a.type);
  }
  if (now === undefined && was !== undefined) {
    return add('widened', at, `${subject} may now be of any type (was ${listOf(was)})`, b.type);
  }
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  const lost = (was ?? []).filter((type) => !allowsType(nowSet, type));
  const gained = (now ?? []).filter((type) => !allowsType(wasSet, type));
  if (lost.length > 0) {
    add('narrowed', at, `${subject} no longer accepts type ${listOf(lost)}`, b.type, a.type);
  }
  if (gained.length > 0) {
    add('widened', at, `${subject} now accepts type ${listOf(gained)}`, b.type, a.type);
  }
}

/** The values `enum` and `const` together allow; undefined when they do not restrict. */
function allowedValues(schema: Schema): unknown[] | undefined {
  const listed = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (schema.const !== undefined) {
    const constant = canonicalJson(schema.const);
    return listed === undefined || listed.some((v) => canonicalJson(v) === constant)
      ? [schema.const]
      : [];
  }
  return listed;
}

/** The values of `values` whose canonical JSON is not among `others`' (linear, not pairwise). */
function missingFrom(values: unknown[], others: unknown[]): unknown[] {
  const present = new Set(others.map(canonicalJson));
  return values.filter((value) => !present.has(canonicalJson(value)));
}

function compareValues(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  const was = allowedValues(b);
  const now = allowedValues(a);
  const keyword = a.const !== undefined || (b.const !== undefined && a.enum === undefined);
  const at = [...path, keyword ? 'const' : 'enum'];
  if (was === undefined && now === undefined) return;
  if (was === undefined) {
    return add('narrowed', at, `${subject} is now limited to ${listOf(now ?? [])}`, undefined, now);
  }
  if (now === undefined) {
    return add('widened', at, `${subject} is no longer limited to ${listOf(was)}`, was);
  }
  const removed = missingFrom(was, now);
  const added = missingFrom(now, was);
  if (removed.length > 0) {
    add('narrowed', at, `${subject} no longer accepts ${listOf(removed)}`, was, now);
  }
  if (added.length > 0)
    add('widened', at, `${subject} now also accepts ${listOf(added)}`, was, now);
}

interface Bound {
  value: number;
  exclusive: boolean;
}

const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The effective bound of `minimum`/`exclusiveMinimum` (or the maximum pair), draft 4 or 2020-12. */
function boundOf(schema: Schema, side: 'lower' | 'upper'): Bound | undefined {
  const inclusive = numberOf(schema[side === 'lower' ? 'minimum' : 'maximum']);
  const exclusive = schema[side === 'lower' ? 'exclusiveMinimum' : 'exclusiveMaximum'];
  // Draft 4 writes `exclusiveMinimum: true` beside `minimum`; 2020-12 gives it its own number.
  const candidates: Bound[] = [];
  if (inclusive !== undefined) candidates.push({ value: inclusive, exclusive: exclusive === true });
  if (typeof exclusive === 'number') candidates.push({ value: exclusive, exclusive: true });
  return candidates.reduce<Bound | undefined>(
    (tightest, bound) =>
      tightest === undefined || isTighter(bound, tightest, side) ? bound : tightest,
    undefined,
  );
}

function isTighter(x: Bound, y: Bound, side: 'lower' | 'upper'): boolean {
  if (x.value === y.value) return x.exclusive && !y.exclusive;
  return side === 'lower' ? x.value > y.value : x.value < y.value;
}

function compareNumberBounds(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  for (const side of ['lower', 'upper'] as const) {
    const was = boundOf(b, side);
    const now = boundOf(a, side);
    if (deepEqual(was, now)) continue;
    const [inclusiveKey, exclusiveKey] =
      side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
    const at = [...path, a[inclusiveKey] !== undefined ? inclusiveKey : exclusiveKey];
    const show = (bound: Bound) =>
      `${side === 'lower' ? (bound.exclusive ? 'above' : 'at least') : bound.exclusive ? 'below' : 'at most'} ${bound.value}`;
    if (was === undefined && now !== undefined) {
      add('narrowed', at, `${subject} must now be ${show(now)}`, undefined, now.value);
    } else if (now === undefined && was !== undefined) {
      add('widened', at, `${subject} no longer needs to be ${show(was)}`, was.value);
    } else if (was !== undefined && now !== undefined) {
      const effect = isTighter(now, was, side) ? 'narrowed' : 'widened';
      add(
        effect,
        at,
        `${subject} must now be ${show(now)} (was ${show(was)})`,
        was.value,
        now.value,
      );
    }
  }
}

function compareLengthBounds(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  const sides = [
    ...lowerBounds.map((keyword) => ({ keyword, lower: true })),
    ...upperBounds.map((keyword) => ({ keyword, lower: false })),
  ];
  for (const { keyword, lower } of sides) {
    const was = numberOf(b[keyword]);
    const now = numberOf(a[keyword]);
    if (was === now) continue;
    const at = [...path, keyword];
    if (was === undefined) {
      add('narrowed', at, `${subject}: ${keyword} ${now} added`, undefined, now);
    } else if (now === undefined) {
      add('widened', at, `${subject}: ${keyword} ${was} removed`, was);
    } else {
      const tighter = lower ? now > was : now < was;
      const verb = now > was ? 'raised' : 'lowered';
      add(
        tighter ? 'narrowed' : 'widened',
        at,
        `${subject}: ${keyword} ${verb} from ${was} to ${now}`,
        was,
        now,
      );
    }
  }
}

const isMultiple = (x: number, y: number) => Number.isInteger(Number((x / y).toFixed(10)));

function compareMultipleOf(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  const was = numberOf(b.multipleOf);
  const now = numberOf(a.multipleOf);
  if (was === now) return;
  const at = [...path, 'multipleOf'];
  if (was === undefined) return add('narrowed', at, `${subject} must now be a multiple of ${now}`);
  if (now === undefined) {
    return add('widened', at, `${subject} no longer needs to be a multiple of ${was}`, was);
  }
  const description = `${subject} must now be a multiple of ${now} (was ${was})`;
  // Every multiple of 4 is a multiple of 2, so 2 → 4 narrows and 4 → 2 widens.
  if (isMultiple(now, was)) add('narrowed', at, description, was, now);
  else if (isMultiple(was, now)) add('widened', at, description, was, now);
  else add('changed', at, description, was, now);
}

/**
 * `pattern`, and `format`, which AWP's validator asserts (ajv-formats) rather than treats as an
 * annotation. Whether one regular expression or format accepts every string another does is not
 * something to guess: a changed one is undecidable.
 */
function compareStringRules(b: Schema, a: Schema, path: Path, subject: string, add: Add) {
  for (const keyword of ['pattern', 'format'] as const) {
    const was = typeof b[keyword] === 'string' ? (b[keyword] as string) : undefined;
    const now = typeof a[keyword] === 'string' ? (a[keyword] as string) : undefined;
    if (was === now) continue;
    const at = [...path, keyword];
    const show = (value: string) =>
      keyword === 'pattern' ? `/${clipped(value)}/` : `'${clipped(value)}'`;
    const must = keyword === 'pattern' ? 'match' : 'be formatted as';
    if (was === undefined)
      add('narrowed', at, `${subject} must now ${must} ${show(now as string)}`);
    else if (now === undefined)
      add('widened', at, `${subject} no longer needs to ${must} ${show(was)}`);
    else {
      add(
        'undecidable',
        at,
        `${subject} must now ${must} ${show(now)} instead of ${show(was)}, and AWP cannot tell whether every value accepted before still is`,
        was,
        now,
      );
    }
  }
  const unique = (schema: Schema) => schema.uniqueItems === true;
  if (unique(b) !== unique(a)) {
    add(
      unique(a) ? 'narrowed' : 'widened',
      [...path, 'uniqueItems'],
      unique(a)
        ? `${subject} must now hold unique items`
        : `${subject} may now hold repeated items`,
    );
  }
}

const namesOf = (value: unknown) =>
  Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];

function compareRequired(b: Schema, a: Schema, path: Path, add: Add) {
  const was = namesOf(b.required);
  const now = namesOf(a.required);
  const at = [...path, 'required'];
  const propertyName = (name: string) => subjectOf([...path, 'properties', name], '');
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  for (const name of now.filter((n) => !wasSet.has(n))) {
    add('narrowed', at, `${propertyName(name)} is now required`, undefined, name);
  }
  for (const name of was.filter((n) => !nowSet.has(n))) {
    add('widened', at, `${propertyName(name)} is no longer required`, name);
  }
}
