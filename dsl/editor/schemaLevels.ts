import type { JsonPath } from '../model/taskLists.js';

export type JsonSchema = Record<string, unknown>;

/** One schema object that applies at a level, once `$ref`, `allOf`, `oneOf` and `anyOf` are opened. */
export interface SchemaLeaf {
  schema: JsonSchema;
  /** The `$defs` passed through to reach it from its level's own schema, outermost first. */
  via: readonly string[];
  /** The nearest enclosing `oneOf`/`anyOf` branch, which often says what a `const` means. */
  context: JsonSchema | undefined;
}

/** Guards against a schema whose combinators refer to themselves (this one's do not). */
const maxDepth = 40;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema leaves at each level of `path`: levels[0] for the document, levels[i] for the value
 * at path.slice(0, i). At each level, `oneOf`/`anyOf` keep the branches that agree with `data`
 * there (see `choose`); a level whose data agrees with no branch keeps them all.
 */
export function schemaLevels(root: JsonSchema, path: JsonPath, data: unknown): SchemaLeaf[][] {
  const walker = new SchemaWalker(root);
  const levels: SchemaLeaf[][] = [walker.open(root, data)];
  let here = data;
  for (const segment of path) {
    here = childData(here, segment);
    const children = childSchemas(levels.at(-1) as SchemaLeaf[], segment);
    levels.push(children.flatMap((child) => walker.open(child.schema, here, child.context)));
  }
  return levels;
}

/** The keys the leaves declare, in schema order, each with its (first) property schema. */
export function keysOf(leaves: readonly SchemaLeaf[]): Array<{ key: string; schema: JsonSchema }> {
  const keys = new Map<string, JsonSchema>();
  for (const { schema } of leaves) {
    if (!isObject(schema.properties)) continue;
    for (const [key, property] of Object.entries(schema.properties)) {
      if (isObject(property) && !keys.has(key)) keys.set(key, property);
    }
  }
  return [...keys].map(([key, schema]) => ({ key, schema }));
}

/** The values the leaves allow by name: `const`, `enum`, and true/false for booleans. */
export function valuesOf(
  leaves: readonly SchemaLeaf[],
): Array<{ value: string | number | boolean; leaf: SchemaLeaf }> {
  const values = new Map<string, { value: string | number | boolean; leaf: SchemaLeaf }>();
  const add = (value: unknown, leaf: SchemaLeaf) => {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return;
    }
    if (!values.has(String(value))) values.set(String(value), { value, leaf });
  };
  for (const leaf of leaves) {
    const { schema } = leaf;
    if ('const' in schema) add(schema.const, leaf);
    if (Array.isArray(schema.enum)) for (const value of schema.enum) add(value, leaf);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.includes('boolean')) {
      add(true, leaf);
      add(false, leaf);
    }
  }
  return [...values.values()];
}

const resolved = new WeakMap<JsonSchema, Map<string, unknown>>();

/** The schema a local `$ref` (`#/$defs/task`) points at; remembered per root schema. */
export function resolveRef(root: JsonSchema, ref: string): unknown {
  let known = resolved.get(root);
  if (known === undefined) resolved.set(root, (known = new Map()));
  if (known.has(ref)) return known.get(ref);
  let node: unknown = undefined;
  if (ref.startsWith('#')) {
    node = root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[segment] : undefined;
    }
  }
  known.set(ref, node);
  return node;
}

function childData(data: unknown, segment: string | number): unknown {
  if (typeof segment === 'number') return Array.isArray(data) ? data[segment] : undefined;
  return isObject(data) && Object.hasOwn(data, segment) ? data[segment] : undefined;
}

/** The schemas for `segment` below the leaves: declared properties win over additional ones. */
function childSchemas(
  leaves: readonly SchemaLeaf[],
  segment: string | number,
): Array<{ schema: unknown; context: JsonSchema | undefined }> {
  const declared: Array<{ schema: unknown; context: JsonSchema | undefined }> = [];
  const additional: typeof declared = [];
  for (const { schema, context } of leaves) {
    if (typeof segment === 'number') {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems[segment] : undefined;
      if (prefix !== undefined) declared.push({ schema: prefix, context });
      else if (isObject(schema.items)) declared.push({ schema: schema.items, context });
      continue;
    }
    const property = isObject(schema.properties) ? schema.properties[segment] : undefined;
    if (isObject(schema.properties) && Object.hasOwn(schema.properties, segment)) {
      declared.push({ schema: property, context });
    } else if (isObject(schema.additionalProperties)) {
      additional.push({ schema: schema.additionalProperties, context });
    }
  }
  return declared.length > 0 ? declared : additional;
}

class SchemaWalker {
  constructor(private readonly root: JsonSchema) {}

  /** The leaves of `schema` for `data`, keeping every branch where none agrees. */
  open(schema: unknown, data: unknown, context?: JsonSchema): SchemaLeaf[] {
    return this.expand(schema, data, [], context, false, 0) ?? [];
  }

  /**
   * `strict` is for judging a branch: a contradiction anywhere in it (a `const` that differs
   * from the data, a nested choice no branch of which agrees) rejects it, returned as undefined.
   */
  private expand(
    schema: unknown,
    data: unknown,
    via: readonly string[],
    context: JsonSchema | undefined,
    strict: boolean,
    depth: number,
  ): SchemaLeaf[] | undefined {
    if (schema === false) return strict ? undefined : [];
    if (!isObject(schema) || depth > maxDepth) return [];
    if (strict && contradicts(schema, data)) return undefined;
    const leaves: SchemaLeaf[] = [{ schema, via, context }];
    const parts: Array<{ schema: unknown; via: readonly string[] }> = [];
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').at(-1) ?? schema.$ref;
      parts.push({ schema: resolveRef(this.root, schema.$ref), via: [...via, name] });
    }
    if (Array.isArray(schema.allOf))
      for (const part of schema.allOf) parts.push({ schema: part, via });
    for (const part of parts) {
      const opened = this.expand(part.schema, data, part.via, context, strict, depth + 1);
      if (opened === undefined) return undefined;
      leaves.push(...opened);
    }
    for (const choice of [schema.oneOf, schema.anyOf]) {
      if (!Array.isArray(choice)) continue;
      const chosen = this.choose(choice, data, via, depth + 1);
      if (chosen !== undefined) {
        leaves.push(...chosen);
        continue;
      }
      if (strict) return undefined;
      for (const branch of choice) {
        const branchContext = isObject(branch) ? branch : context;
        leaves.push(...(this.expand(branch, data, via, branchContext, false, depth + 1) ?? []));
      }
    }
    return leaves;
  }

  /**
   * The leaves of the branches that agree with `data` best: no contradicted `const`/`enum`/`type`
   * (`call: http` rules out every call branch but CallHTTP) and the fewest present keys the branch
   * does not declare (`do:` rules out the call branches). Undefined when none agrees.
   */
  private choose(
    branches: readonly unknown[],
    data: unknown,
    via: readonly string[],
    depth: number,
  ): SchemaLeaf[] | undefined {
    let best: SchemaLeaf[] | undefined;
    let bestMisses = Infinity;
    for (const branch of branches) {
      const context = isObject(branch) ? branch : undefined;
      const leaves = this.expand(branch, data, via, context, true, depth);
      if (leaves === undefined) continue;
      const misses = undeclaredKeys(leaves, data, this.root);
      if (misses === undefined || misses > bestMisses) continue;
      if (misses < bestMisses) best = [];
      bestMisses = misses;
      best?.push(...leaves);
    }
    return best;
  }
}

/**
 * How many of the data's keys the branch leaves do not declare, or undefined if a declared
 * property's `const`/`enum`/`type` contradicts the value present. Only keys are compared, never
 * nested content: the document is being typed, and its deeper parts may not be valid yet.
 */
function undeclaredKeys(leaves: readonly SchemaLeaf[], data: unknown, root: JsonSchema) {
  if (!isObject(data)) return 0;
  let open = false;
  let declaresAny = false;
  let misses = 0;
  for (const { schema } of leaves) {
    const additional = schema.additionalProperties;
    if (additional === true || isObject(additional) || isObject(schema.patternProperties)) {
      open = true;
    }
    if (isObject(schema.properties)) declaresAny = true;
  }
  for (const [key, value] of Object.entries(data)) {
    const properties = leaves
      .map(({ schema }) => (isObject(schema.properties) ? schema.properties[key] : undefined))
      .filter(isObject);
    if (properties.length === 0) {
      if (declaresAny && !open) misses++;
      continue;
    }
    const refuted = (property: JsonSchema) => {
      const target =
        typeof property.$ref === 'string' ? resolveRef(root, property.$ref) : undefined;
      return contradicts(property, value) || (isObject(target) && contradicts(target, value));
    };
    if (properties.every(refuted)) return undefined;
  }
  return misses;
}

/** Whether a scalar (or the kind of a collection) breaks the schema's own type, const or enum. */
function contradicts(schema: JsonSchema, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const actual = Array.isArray(value)
    ? 'array'
    : typeof value === 'number'
      ? Number.isInteger(value)
        ? 'integer'
        : 'number'
      : typeof value;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const fits = types.some(
      (type) => type === actual || (type === 'number' && actual === 'integer'),
    );
    if (!fits) return true;
  }
  if (typeof value === 'object') return false;
  if ('const' in schema && schema.const !== value) return true;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return true;
  const not = schema.not;
  if (isObject(not)) {
    if (Array.isArray(not.enum) && not.enum.includes(value)) return true;
    if ('const' in not && not.const === value) return true;
  }
  return false;
}
