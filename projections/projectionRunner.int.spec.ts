import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  Bus,
  BusMessage,
  ConsumedMessage,
  EventEnvelope,
  EventSerializer,
  Projection,
} from '../contracts/index.js';
import { createEventCatalog, createEventSerializer } from '../contracts/index.js';
import { schemaRegistryMigrations } from '../contracts/registry/index.js';
import { createInProcessBus, inProcessBusMigrations } from '../infra/bus/inProcessBus.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { eventually } from '../test/support/eventually.js';
import { describeWithServices } from '../test/support/realServices.js';
import { openTestDatabase } from '../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../test/support/testDatabases.js';
import {
  registryClientFor,
  startTestRegistry,
  testEventSchema,
} from '../test/support/testRegistry.js';
import type { TestRegistry } from '../test/support/testRegistry.js';
import { projectionMigrations, startProjections } from './projectionRunner.js';
import type { ProjectionRunner } from './projectionRunner.js';

const logger = pino({ level: 'silent' });
const topic = 'awp.test.events';
const catalog = createEventCatalog({
  Noted: testEventSchema('Noted', [{ name: 'n', type: 'int' }]),
});

/**
 * A read model that would show a double effect: every applied event appends its number to its
 * account's list, so an event applied twice appears twice.
 */
const notesProjection: Projection = {
  name: 'test.notes',
  topics: [topic],
  async apply(tx, event) {
    await tx.query(
      `INSERT INTO test_notes (account_id, ns) VALUES ($1, ARRAY[$2::int])
       ON CONFLICT (account_id) DO UPDATE SET ns = test_notes.ns || EXCLUDED.ns`,
      [event.accountId, (event.data as { n: number }).n],
    );
  },
  async reset(tx) {
    await tx.query('DELETE FROM test_notes');
  },
};

function runnerSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let registry: TestRegistry;
  let serializer: EventSerializer;
  let bus: Bus;
  let runner: ProjectionRunner | undefined;

  const noted = (accountId: string, n: number): EventEnvelope => ({
    eventId: uuidV7Ids.newId(),
    type: 'Noted',
    accountId,
    streamId: `note-${accountId}`,
    streamVersion: n,
    occurredAt: new Date().toISOString(),
    correlationId: 'c-1',
    causationId: null,
    actor: { type: 'system', id: 'test' },
    schemaVersion: 1,
    data: { n },
  });
  const onBus = async (event: EventEnvelope): Promise<BusMessage> => ({
    topic,
    key: event.accountId,
    value: await serializer.encode(event, topic),
  });
  const notes = async () => {
    const { rows } = await opened.db.query<{ account_id: string; ns: number[] }>(
      'SELECT account_id, ns FROM test_notes ORDER BY account_id',
    );
    return Object.fromEntries(rows.map((row) => [row.account_id, row.ns]));
  };
  const start = async () => {
    runner = await startProjections({
      bus,
      db: opened.db,
      eventStore: createPgEventStore({ db: opened.db, clock: systemClock, ids: uuidV7Ids }),
      serializer,
      logger,
      projections: [notesProjection],
    });
    return runner;
  };

  beforeEach(async () => {
    opened = await openTestDatabase(kind, [
      ...eventStoreMigrations,
      ...projectionMigrations,
      ...schemaRegistryMigrations,
      ...inProcessBusMigrations,
      {
        id: '2099-01-01-00-test-notes',
        sql: 'CREATE TABLE test_notes (account_id text PRIMARY KEY, ns int[] NOT NULL)',
      },
    ]);
    registry = await startTestRegistry(opened.db);
    serializer = createEventSerializer({ catalog, registry: registryClientFor(registry.url) });
    bus = createInProcessBus({
      db: opened.db,
      partitions: 3,
      logger,
      pollMs: 50,
      retryPolicy: { attempts: 2, firstBackoffMs: 10 },
    });
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await bus.close();
    await registry.close();
    await opened.close();
  });

  it('applies a backlog in order and each event once, though some arrive twice', async () => {
    const accounts = ['acc-a', 'acc-b', 'acc-c', 'acc-d'];
    const events = Array.from({ length: 40 }, (_, i) => noted(accounts[i % 4] as string, i));
    const messages = await Promise.all(events.map(onBus));
    // Redeliveries: a duplicate inside one fetch, and the first ten events again later.
    await bus.publish([...messages.slice(0, 20), messages[5] as BusMessage, ...messages.slice(20)]);
    await bus.publish(messages.slice(0, 10));
    const projections = await start();
    await eventually(async () => ((await projections.list())[0]?.lag === 0 ? true : undefined));
    const expected = Object.fromEntries(
      accounts.map((account, a) => [account, events.map((_, i) => i).filter((i) => i % 4 === a)]),
    );
    expect(await notes()).toEqual(expected);
    const [status] = await projections.list();
    expect(status).toMatchObject({ eventsApplied: 40, lag: 0 });
  });

  it('dead-letters an event that cannot be decoded and applies the rest of its batch', async () => {
    const dead: ConsumedMessage[] = [];
    const watching = await bus.subscribe({
      groupId: 'dlq-watch',
      topics: [`${topic}.dlq`],
      async handle(m) {
        dead.push(m);
      },
    });
    const events = Array.from({ length: 6 }, (_, n) => noted('acc-a', n));
    const messages = await Promise.all(events.map(onBus));
    const garbage: BusMessage = { topic, key: 'acc-a', value: Buffer.from('not avro at all') };
    await bus.publish([...messages.slice(0, 3), garbage, ...messages.slice(3)]);
    await start();
    await eventually(async () =>
      dead.length === 1 && (await notes())['acc-a']?.length === 6 ? true : undefined,
    );
    expect(await notes()).toEqual({ 'acc-a': [0, 1, 2, 3, 4, 5] });
    expect(dead[0]?.value.toString()).toBe('not avro at all');
    expect(dead[0]?.headers?.['awp-dlq-group']).toBe('awp.projection.test.notes');
    await watching.stop();
  });
}

describe('projection runner on PGlite', () => {
  runnerSuite('pglite');
});

describeWithServices(['postgres'], 'projection runner on PostgreSQL', () => {
  runnerSuite('postgres');
});
