import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../envelope.js';
import { eventSchemas } from '../events/generated/eventSchemas.js';
import type { SchemaRegistry } from '../ports/schemaRegistry.js';
import { createEventCatalog } from './eventCatalog.js';
import { createEventSerializer } from './eventSerializer.js';

const read = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');
const golden = JSON.parse(read('TenantCreated.v1.golden.json')) as {
  schemaId: number;
  writerSchema: string;
  hex: string;
};
const writerSchema = JSON.parse(read(golden.writerSchema)) as object;

/** A registry holding just the golden writer schema under the id the bytes carry. */
const goldenRegistry: SchemaRegistry = {
  async register() {
    return golden.schemaId;
  },
  async schemaById(id) {
    if (id !== golden.schemaId) throw new Error(`no schema ${id}`);
    return writerSchema;
  },
};

/** What the Java writer was given (TenantCreated.v1.datum.json), as our envelope. */
const expected: EventEnvelope = {
  eventId: '01938a1e-7c2f-7b4a-9d3e-5f6a7b8c9d0e',
  type: 'TenantCreated',
  accountId: '01938a1e-7c2f-7b4a-9d3e-000000000001',
  streamId: 'tenant-01938a1e-7c2f-7b4a-9d3e-000000000001',
  streamVersion: 1,
  occurredAt: '2025-11-27T08:00:00.123Z',
  correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
  causationId: 'cmd-7',
  actor: { type: 'user', id: 'user-Ünïcødé' },
  schemaVersion: 1,
  data: {
    accountId: '01938a1e-7c2f-7b4a-9d3e-000000000001',
    accountName: 'Acme Foods',
    tier: 'enterprise',
  },
};

describe('golden bytes written by the Java Avro library with an older TenantCreated schema', () => {
  const bytes = Buffer.from(golden.hex, 'hex');

  it('decode with the current TenantCreated.avsc: every schema change must keep reading them', async () => {
    const serializer = createEventSerializer({
      registry: goldenRegistry,
      catalog: createEventCatalog(eventSchemas),
    });
    expect({ ...(await serializer.decode(bytes)) }).toEqual(expected);
  });

  it('decode with a later version that added an optional field, which takes its default', async () => {
    const evolved = structuredClone(eventSchemas.TenantCreated);
    const data = evolved.schema.fields.at(-1) as { type: { fields: unknown[] } };
    data.type.fields.push({ name: 'region', type: ['null', 'string'], default: null });
    const serializer = createEventSerializer({
      registry: goldenRegistry,
      catalog: createEventCatalog({ TenantCreated: evolved }),
    });
    const decoded = await serializer.decode(bytes);
    expect(decoded.data).toEqual({ ...(expected.data as object), region: null });
  });

  it('are exactly what our encoder writes for the same event', async () => {
    const serializer = createEventSerializer({
      registry: goldenRegistry,
      catalog: createEventCatalog({
        TenantCreated: { domain: 'platform', schema: writerSchema as never },
      }),
    });
    const encoded = await serializer.encode(expected, 'awp.platform.events');
    expect(encoded.toString('hex')).toBe(golden.hex);
  });
});
