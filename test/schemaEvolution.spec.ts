import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCatalog, createEventSerializer, eventSchemas } from '../contracts/index.js';
import type { EventEnvelope, EventSchemaEntry } from '../contracts/index.js';
import { schemaRegistryMigrations } from '../contracts/registry/index.js';
import { describeWithServices } from './support/realServices.js';
import { openTestDatabase } from './support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from './support/testDatabases.js';
import { registryClientFor, startTestRegistry } from './support/testRegistry.js';
import type { TestRegistry } from './support/testRegistry.js';

const topic = 'awp.platform.events';

/** TenantCreated with one more field in `data`. */
function tenantCreatedWith(field: {
  name: string;
  type: unknown;
  default?: unknown;
}): EventSchemaEntry {
  const entry = structuredClone(eventSchemas.TenantCreated);
  const data = entry.schema.fields.at(-1) as { type: { fields: unknown[] } };
  data.type.fields.push(field);
  return entry;
}

const event = (data: Record<string, unknown>): EventEnvelope => ({
  eventId: '01938a1e-7c2f-7b4a-9d3e-5f6a7b8c9d0e',
  type: 'TenantCreated',
  accountId: 'acc-1',
  streamId: 'tenant-acc-1',
  streamVersion: 1,
  occurredAt: '2026-11-27T08:00:00.000Z',
  correlationId: 'corr-1',
  causationId: null,
  actor: { type: 'system', id: 'test' },
  schemaVersion: 1,
  data: { accountId: 'acc-1', accountName: 'Acme', tier: 'standard', ...data },
});

/**
 * Producers and consumers at different schema versions, through the built-in registry and the
 * Confluent client: what happens on a rolling deploy.
 */
function schemaEvolutionSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let registry: TestRegistry;
  const serializerWith = (entry: EventSchemaEntry) =>
    createEventSerializer({
      catalog: createEventCatalog({ TenantCreated: entry }),
      registry: registryClientFor(registry.url),
    });
  const v1 = eventSchemas.TenantCreated;
  const v2 = tenantCreatedWith({ name: 'region', type: ['null', 'string'], default: null });

  beforeAll(async () => {
    opened = await openTestDatabase(kind, schemaRegistryMigrations);
    registry = await startTestRegistry(opened.db);
  });
  afterAll(async () => {
    await registry?.close();
    await opened?.close();
  });

  it('accepts a compatible change as a new version, and each side reads the other', async () => {
    const oldProducer = serializerWith(v1);
    const newProducer = serializerWith(v2);
    const oldBytes = await oldProducer.encode(event({}), topic);
    const newBytes = await newProducer.encode(event({ region: 'eu-west' }), topic);
    expect(newBytes.readUInt32BE(1)).not.toBe(oldBytes.readUInt32BE(1));

    const versions = await (
      await fetch(`${registry.url}/subjects/${topic}-awp.platform.TenantCreated/versions`)
    ).json();
    expect(versions).toEqual([1, 2]);

    // A new consumer reads old events with the default; an old one ignores the new field.
    expect((await newProducer.decode(oldBytes)).data).toMatchObject({ region: null });
    expect((await newProducer.decode(newBytes)).data).toMatchObject({ region: 'eu-west' });
    const oldView = (await oldProducer.decode(newBytes)).data as Record<string, unknown>;
    expect(oldView).toEqual({ accountId: 'acc-1', accountName: 'Acme', tier: 'standard' });
  });

  it('refuses a breaking change at registration, with the reason, and encodes nothing', async () => {
    const breaking = serializerWith(tenantCreatedWith({ name: 'ownerEmail', type: 'string' }));
    const attempt = breaking.encode(event({ ownerEmail: 'a@b.c' }), topic);
    await expect(attempt).rejects.toMatchObject({ code: 'conflict' });
    await expect(attempt).rejects.toThrow(/ownerEmail/);
    const versions = await (
      await fetch(`${registry.url}/subjects/${topic}-awp.platform.TenantCreated/versions`)
    ).json();
    expect(versions).toEqual([1, 2]);
  });

  it('refuses bytes that are not Confluent-framed Avro, saying why', async () => {
    const serializer = serializerWith(v1);
    await expect(serializer.decode(Buffer.from('{"type":"TenantCreated"}'))).rejects.toThrow(
      /magic byte/,
    );
    await expect(serializer.decode(Buffer.from([0, 0]))).rejects.toThrow(/shorter than/);
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xff, 0]);
    await expect(serializer.decode(unknownId)).rejects.toMatchObject({ code: 'not_found' });
  });
}

describe('schema evolution through the built-in registry on PGlite', () => {
  schemaEvolutionSuite('pglite');
});

describeWithServices(
  ['postgres'],
  'schema evolution through the built-in registry on PostgreSQL',
  () => {
    schemaEvolutionSuite('postgres');
  },
);
