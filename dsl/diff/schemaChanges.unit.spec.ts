import { describe, expect, it } from 'vitest';
import type { JsonValue, WorkflowDefinition } from '../model/workflowModel.js';
import { diffWorkflows } from './diffWorkflows.js';

type Schema = Record<string, JsonValue> | boolean | undefined;

/** A one-task workflow whose input (or output) schema is `schema`; undefined means none. */
function withSchema(part: 'input' | 'output', schema: Schema): WorkflowDefinition {
  const workflow: WorkflowDefinition = {
    document: { dsl: '1.0.0', namespace: 'orders', name: 'intake', version: '1.0.0' },
    do: [{ a: { set: { x: 1 } } }],
  };
  if (schema !== undefined) {
    workflow[part] = { schema: { format: 'json', document: schema as JsonValue } };
  }
  return workflow;
}

const diffOf = (part: 'input' | 'output', before: Schema, after: Schema) =>
  diffWorkflows(withSchema(part, before), withSchema(part, after));

const order = (extra: Record<string, JsonValue> = {}): Record<string, JsonValue> => ({
  type: 'object',
  required: ['sku'],
  properties: {
    sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$', maxLength: 20 },
    qty: { type: 'integer', minimum: 1, maximum: 100 },
    channel: { enum: ['web', 'phone'] },
    note: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  ...extra,
});

/** The parts of `order()` the cases below edit. */
type PropertySchema = Record<string, unknown>;
interface OrderSchema {
  required: string[];
  additionalProperties?: boolean;
  properties: {
    sku: PropertySchema;
    qty: PropertySchema;
    channel: PropertySchema;
    note?: PropertySchema;
    tags: PropertySchema & { items: PropertySchema };
    coupon?: PropertySchema;
  };
}

/** A copy of `order()` with one nested change applied. */
function orderWith(change: (schema: OrderSchema) => void): Record<string, JsonValue> {
  const schema = structuredClone(order());
  change(schema as unknown as OrderSchema);
  return schema;
}

const narrowings: Array<[string, Schema, Schema, string, RegExp]> = [
  [
    'a new required property',
    order(),
    orderWith((s) => s.required.push('qty')),
    '/input/schema/document/required',
    /'qty' is now required/,
  ],
  [
    'a property removed while additionalProperties is false',
    order({ additionalProperties: false }),
    orderWith((s) => {
      s.additionalProperties = false;
      delete s.properties.note;
    }),
    '/input/schema/document/properties/note',
    /'note' is no longer allowed/,
  ],
  [
    'a type narrowed',
    order(),
    orderWith((s) => {
      s.properties.note = { ...s.properties.note, type: 'string' };
    }),
    '/input/schema/document/properties/note/type',
    /'note' no longer accepts type 'null'/,
  ],
  [
    'number narrowed to integer',
    { type: 'number' },
    { type: 'integer' },
    '/input/schema/document/type',
    /no longer accepts type 'number'/,
  ],
  [
    'enum values removed',
    order(),
    orderWith((s) => {
      s.properties.channel.enum = ['web'];
    }),
    '/input/schema/document/properties/channel/enum',
    /'channel' no longer accepts 'phone'/,
  ],
  [
    'a const added',
    order(),
    orderWith((s) => {
      s.properties.channel = { const: 'web' };
    }),
    '/input/schema/document/properties/channel/const',
    /'channel' no longer accepts 'phone'/,
  ],
  [
    'a minimum raised',
    order(),
    orderWith((s) => {
      s.properties.qty.minimum = 2;
    }),
    '/input/schema/document/properties/qty/minimum',
    /'qty' must now be at least 2 \(was at least 1\)/,
  ],
  [
    'a maximum lowered',
    order(),
    orderWith((s) => {
      s.properties.qty.maximum = 50;
    }),
    '/input/schema/document/properties/qty/maximum',
    /at most 50 \(was at most 100\)/,
  ],
  [
    'an inclusive bound made exclusive',
    { minimum: 1 },
    { exclusiveMinimum: 1 },
    '/input/schema/document/exclusiveMinimum',
    /above 1 \(was at least 1\)/,
  ],
  [
    'a maxLength lowered',
    order(),
    orderWith((s) => {
      s.properties.sku.maxLength = 10;
    }),
    '/input/schema/document/properties/sku/maxLength',
    /maxLength lowered from 20 to 10/,
  ],
  [
    'a minLength added',
    order(),
    orderWith((s) => {
      s.properties.sku.minLength = 5;
    }),
    '/input/schema/document/properties/sku/minLength',
    /minLength 5 added/,
  ],
  [
    'a minItems added',
    order(),
    orderWith((s) => {
      s.properties.tags.minItems = 1;
    }),
    '/input/schema/document/properties/tags/minItems',
    /'tags': minItems 1 added/,
  ],
  [
    'a pattern added',
    { type: 'string' },
    { type: 'string', pattern: '^x' },
    '/input/schema/document/pattern',
    /must now match \/\^x\//,
  ],
  [
    'a format added',
    { type: 'string' },
    { type: 'string', format: 'email' },
    '/input/schema/document/format',
    /must now be formatted as 'email'/,
  ],
  [
    'items narrowed',
    order(),
    orderWith((s) => {
      s.properties.tags.items.enum = ['a'];
    }),
    '/input/schema/document/properties/tags/items/enum',
    /'tags\[\]' is now limited to 'a'/,
  ],
  [
    'additional properties forbidden',
    order(),
    order({ additionalProperties: false }),
    '/input/schema/document/additionalProperties',
    /no longer accepts properties other than those listed/,
  ],
  [
    'a multipleOf tightened',
    { multipleOf: 2 },
    { multipleOf: 4 },
    '/input/schema/document/multipleOf',
    /multiple of 4 \(was 2\)/,
  ],
  [
    'a schema declared where there was none',
    undefined,
    { type: 'object' },
    '/input/schema/document/type',
    /the input must now be of type 'object'/,
  ],
  [
    'a new property constrained where any value was allowed',
    order(),
    orderWith((s) => {
      s.properties.coupon = { type: 'string' };
    }),
    '/input/schema/document/properties/coupon/type',
    /'coupon' must now be of type 'string'/,
  ],
];

const widenings: Array<[string, Schema, Schema]> = [
  [
    'a required property dropped',
    order(),
    orderWith((s) => {
      s.required = [];
    }),
  ],
  [
    'a property added while additionalProperties is false',
    order({ additionalProperties: false }),
    orderWith((s) => {
      s.additionalProperties = false;
      s.properties.coupon = { type: 'string' };
    }),
  ],
  [
    'a type widened',
    order(),
    orderWith((s) => {
      s.properties.qty.type = ['integer', 'string'];
    }),
  ],
  ['integer widened to number', { type: 'integer' }, { type: 'number' }],
  [
    'an enum value added',
    order(),
    orderWith((s) => (s.properties.channel.enum as string[]).push('store')),
  ],
  [
    'a minimum lowered',
    order(),
    orderWith((s) => {
      s.properties.qty.minimum = 0;
    }),
  ],
  [
    'a maximum removed',
    order(),
    orderWith((s) => {
      delete s.properties.qty.maximum;
    }),
  ],
  [
    'a pattern removed',
    order(),
    orderWith((s) => {
      delete s.properties.sku.pattern;
    }),
  ],
  ['a format removed', { type: 'string', format: 'email' }, { type: 'string' }],
  ['additional properties allowed', order({ additionalProperties: false }), order()],
  ['the schema dropped', order(), undefined],
  ['a multipleOf loosened', { multipleOf: 4 }, { multipleOf: 2 }],
];

describe('input schema changes', () => {
  it.each(narrowings)('breaks callers on %s', (_name, before, after, path, reason) => {
    const diff = diffOf('input', before, after);
    expect(diff.breaking).toBe(true);
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ kind: 'input-schema-changed', path, compatibility: 'breaking' }),
    );
    const change = diff.changes.find((c) => c.path === path);
    expect(change?.reason).toMatch(reason);
    expect(change?.reason).toMatch(
      /callers sending input the old schema accepted may now be refused/,
    );
  });

  it.each(widenings)('stays compatible on %s', (_name, before, after) => {
    const diff = diffOf('input', before, after);
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.changes.every((c) => c.kind === 'input-schema-changed')).toBe(true);
    expect(diff.breaking).toBe(false);
    expect(diff.changes[0]?.reason).toMatch(/everything accepted before is still accepted/);
  });

  it('reports both directions of a type swapped for another', () => {
    const diff = diffOf('input', { type: 'string' }, { type: 'number' });
    expect(diff.changes.map((c) => c.compatibility)).toEqual(['breaking', 'compatible']);
  });

  it.each<[string, Schema, Schema]>([
    ['a changed pattern', { pattern: '^a' }, { pattern: '^[ab]' }],
    ['a changed format', { format: 'email' }, { format: 'idn-email' }],
    ['a changed $ref', { $ref: '#/$defs/a' }, { $ref: '#/$defs/b' }],
    [
      'a changed anyOf',
      { anyOf: [{ type: 'string' }] },
      { anyOf: [{ type: 'string' }, { type: 'null' }] },
    ],
    ['a multipleOf that is neither', { multipleOf: 2 }, { multipleOf: 3 }],
  ])('counts %s as breaking because it cannot decide', (_name, before, after) => {
    const diff = diffOf('input', before, after);
    expect(diff.breaking).toBe(true);
    for (const change of diff.changes) expect(change.compatibility).toBe('breaking');
  });

  it('says why an undecidable change counts as breaking', () => {
    const [change] = diffOf('input', { pattern: '^a' }, { pattern: '^[ab]' }).changes;
    expect(change?.reason).toMatch(
      /AWP cannot tell whether every value accepted before still is; AWP cannot decide the effect, so it counts as breaking/,
    );
  });

  it('does not compare external schemas it would have to fetch, and says so', () => {
    const external = (uri: string): WorkflowDefinition => ({
      ...withSchema('input', undefined),
      input: { schema: { format: 'json', resource: { endpoint: uri } } },
    });
    const diff = diffWorkflows(
      external('https://a.example.com/s.json'),
      external('https://b.example.com/s.json'),
    );
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'input-schema-changed',
        path: '/input/schema',
        compatibility: 'breaking',
      }),
    ]);
    expect(diff.changes[0]?.reason).toMatch(/external or not JSON Schema/);
  });

  it('treats a changed description as compatible', () => {
    const diff = diffOf('input', order(), order({ description: 'an order' }));
    expect(diff.changes).toEqual([
      expect.objectContaining({
        compatibility: 'compatible',
        path: '/input/schema/document/description',
      }),
    ]);
  });
});

describe('output schema changes', () => {
  it.each(narrowings)('is compatible for consumers on %s', (_name, before, after) => {
    const diff = diffOf('output', before, after);
    const kinds = diff.changes.filter((c) => c.compatibility === 'compatible');
    expect(kinds.length).toBeGreaterThan(0);
    for (const change of kinds) expect(change.kind).toBe('output-schema-changed');
  });

  it.each(widenings)('breaks consumers on %s', (_name, before, after) => {
    const diff = diffOf('output', before, after);
    expect(diff.breaking).toBe(true);
    expect(diff.changes[0]?.reason).toMatch(
      /consumers of the workflow's output may receive values the old schema ruled out/,
    );
  });

  it('keeps compatible narrowings compatible and explains why', () => {
    const diff = diffOf(
      'output',
      order(),
      orderWith((s) => s.required.push('qty')),
    );
    expect(diff).toMatchObject({
      breaking: false,
      changes: [{ path: '/output/schema/document/required' }],
    });
    expect(diff.changes[0]?.reason).toMatch(/everything it allows was allowed before/);
  });
});
