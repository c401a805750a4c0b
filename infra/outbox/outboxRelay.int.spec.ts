import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusMessage, Database, EventSerializer, EventStore } from '../../contracts/index.js';
import { createEventCatalog, createEventSerializer } from '../../contracts/index.js';
import { schemaRegistryMigrations } from '../../contracts/registry/index.js';
import { eventually } from '../../test/support/eventually.js';
import { freePort } from '../../test/support/processes.js';
import {
  registryClientFor,
  startTestRegistry,
  testEventSchema,
} from '../../test/support/testRegistry.js';
import type { TestRegistry } from '../../test/support/testRegistry.js';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../test/support/testDatabases.js';
import { eventStoreMigrations } from '../postgres/eventStoreMigrations.js';
import { createLease, leaseMigrations } from '../postgres/lease.js';
import { createPgEventStore } from '../postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';
import { startOutboxRelay } from './outboxRelay.js';
import type { OutboxRelay } from './outboxRelay.js';

const logger = pino({ level: 'silent' });
const catalog = createEventCatalog({
  Noted: testEventSchema('Noted', [{ name: 'version', type: 'int' }]),
});
const serializerFor = (url: string) =>
  createEventSerializer({ catalog, registry: registryClientFor(url) });

/** A bus that records what it accepted, and can refuse or "crash" on demand. */
function recordingBus() {
  const accepted: BusMessage[] = [];
  let failNext = 0;
  return {
    accepted,
    failNextPublishes(n: number) {
      failNext = n;
    },
    bus: {
      async publish(messages: readonly BusMessage[]) {
        if (failNext > 0) {
          failNext--;
          throw new Error('broker unavailable');
        }
        accepted.push(...messages);
      },
      async subscribe(): Promise<never> {
        throw new Error('not used');
      },
      async lag(): Promise<never> {
        throw new Error('not used');
      },
      async ping() {},
      async close() {},
    },
  };
}

/** The database, except that marking rows sent fails while `failMarks` is set: a crash window. */
function markFailingDatabase(db: Database) {
  const state = { failMarks: false };
  const wrapped: Database = {
    ...db,
    async query(sql, params) {
      if (state.failMarks && sql.startsWith('UPDATE es_outbox')) {
        throw new Error('connection lost after publish');
      }
      return db.query(sql, params);
    },
  };
  return { db: wrapped, state };
}

function relaySuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let store: EventStore;
  let registry: TestRegistry;
  let serializer: EventSerializer;
  const relays: OutboxRelay[] = [];
  const startRelay = (
    db: Database,
    bus: ReturnType<typeof recordingBus>['bus'],
    holder: string,
    relaySerializer = serializer,
  ) => {
    const relay = startOutboxRelay({
      db,
      bus,
      serializer: relaySerializer,
      logger,
      pollMs: 20,
      lease: createLease(db, 'outbox-relay', holder, 2_000),
      leaseTtlMs: 2_000,
    });
    relays.push(relay);
    return relay;
  };
  const append = (account: string, stream: string, version: number) =>
    store.append({
      streamId: stream,
      expectedVersion: version === 1 ? 'no_stream' : version - 1,
      metadata: {
        accountId: account,
        correlationId: 'c',
        causationId: null,
        actor: { type: 'system', id: 't' },
      },
      topic: 'awp.test.events',
      events: [{ type: 'Noted', data: { version } }],
    });
  const sequenceOf = async (messages: readonly BusMessage[], account: string) => {
    const events = await Promise.all(
      messages.filter((m) => m.key === account).map((m) => serializer.decode(m.value)),
    );
    return events.map((e) => `${e.streamId}:${e.streamVersion}`);
  };
  const unsent = async () => {
    const { rows } = await opened.db.query<{ unsent: number }>(
      'SELECT count(*)::int AS unsent FROM es_outbox WHERE sent_at IS NULL',
    );
    return rows[0]?.unsent;
  };

  beforeEach(async () => {
    opened = await openTestDatabase(kind, [
      ...eventStoreMigrations,
      ...leaseMigrations,
      ...schemaRegistryMigrations,
    ]);
    store = createPgEventStore({
      db: opened.db,
      clock: systemClock,
      ids: uuidV7Ids,
      validate: catalog.validate,
    });
    registry = await startTestRegistry(opened.db);
    serializer = serializerFor(registry.url);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await registry?.close();
    await opened?.close();
  });

  it('publishes, in per-key order, events appended while no relay ran', async () => {
    for (let v = 1; v <= 3; v++) {
      await append('acc-a', 'order-a', v);
      await append('acc-b', 'order-b', v);
    }
    const recording = recordingBus();
    startRelay(opened.db, recording.bus, 'relay-1');
    await eventually(async () => (recording.accepted.length === 6 ? true : undefined));
    expect(await sequenceOf(recording.accepted, 'acc-a')).toEqual([
      'order-a:1',
      'order-a:2',
      'order-a:3',
    ]);
    expect(await sequenceOf(recording.accepted, 'acc-b')).toEqual([
      'order-b:1',
      'order-b:2',
      'order-b:3',
    ]);
    expect(await unsent()).toBe(0);
  });

  it('publishes Avro in the Confluent wire format under a TopicRecordNameStrategy subject', async () => {
    await append('acc-a', 'order-a', 1);
    const recording = recordingBus();
    startRelay(opened.db, recording.bus, 'relay-1');
    await eventually(async () => (recording.accepted.length === 1 ? true : undefined));
    const value = recording.accepted[0]!.value;
    expect(value[0]).toBe(0); // magic byte
    const subjects = await (await fetch(`${registry.url}/subjects`)).json();
    expect(subjects).toEqual(['awp.test.events-awp.test.Noted']);
    const latest = (await (
      await fetch(`${registry.url}/subjects/awp.test.events-awp.test.Noted/versions/latest`)
    ).json()) as { id: number };
    expect(value.readUInt32BE(1)).toBe(latest.id);
    expect(await serializer.decode(value)).toMatchObject({ type: 'Noted', data: { version: 1 } });
  });

  it('refuses at append time an event its schema cannot encode, so the outbox stays clean', async () => {
    const appendBad = store.append({
      streamId: 'order-x',
      expectedVersion: 'no_stream',
      metadata: {
        accountId: 'acc-a',
        correlationId: 'c',
        causationId: null,
        actor: { type: 'system', id: 't' },
      },
      topic: 'awp.test.events',
      events: [{ type: 'Noted', data: { version: 'one' } }],
    });
    await expect(appendBad).rejects.toThrow(/data\.version/);
    expect(await unsent()).toBe(0);
  });

  it('keeps rows while the schema registry is down, then publishes them in order', async () => {
    for (let v = 1; v <= 3; v++) await append('acc-a', 'order-a', v);
    const port = await freePort();
    const recording = recordingBus();
    const errors: string[] = [];
    const relay = startOutboxRelay({
      db: opened.db,
      bus: recording.bus,
      serializer: serializerFor(`http://127.0.0.1:${port}/schema-registry`),
      logger: pino(
        { level: 'error' },
        { write: (line: string) => void errors.push(JSON.parse(line).err?.message ?? line) },
      ),
      pollMs: 50,
      lease: createLease(opened.db, 'outbox-relay', 'relay-down', 2_000),
      leaseTtlMs: 2_000,
    });
    relays.push(relay);
    await eventually(async () => (errors.length >= 2 ? true : undefined));
    expect(errors[0]).toMatch(
      /schema registry unavailable while registering subject .*ECONNREFUSED/,
    );
    expect(recording.accepted).toEqual([]);
    expect(await unsent()).toBe(3);

    const restored = await startTestRegistry(opened.db, port);
    try {
      await eventually(async () => (recording.accepted.length === 3 ? true : undefined), {
        timeoutMs: 15_000,
      });
      expect(await sequenceOf(recording.accepted, 'acc-a')).toEqual([
        'order-a:1',
        'order-a:2',
        'order-a:3',
      ]);
      await eventually(async () => ((await unsent()) === 0 ? true : undefined));
    } finally {
      await relay.stop();
      await restored.close();
    }
  });

  it('keeps rows the broker refused and publishes them once it accepts', async () => {
    await append('acc-a', 'order-a', 1);
    const recording = recordingBus();
    recording.failNextPublishes(2);
    startRelay(opened.db, recording.bus, 'relay-1');
    await eventually(async () => (recording.accepted.length === 1 ? true : undefined), {
      timeoutMs: 15_000,
    });
    expect(await sequenceOf(recording.accepted, 'acc-a')).toEqual(['order-a:1']);
  });

  it('publishes again, never loses, when it dies between publishing and marking sent', async () => {
    await append('acc-a', 'order-a', 1);
    await append('acc-a', 'order-a', 2);
    const crashing = markFailingDatabase(opened.db);
    crashing.state.failMarks = true;
    const first = recordingBus();
    const dying = startRelay(crashing.db, first.bus, 'relay-1');
    await eventually(async () => (first.accepted.length >= 2 ? true : undefined));
    await dying.stop(); // the process "dies": rows were published, never marked

    await append('acc-a', 'order-a', 3);
    const second = recordingBus();
    startRelay(opened.db, second.bus, 'relay-2');
    await eventually(async () => (second.accepted.length === 3 ? true : undefined), {
      timeoutMs: 15_000,
    });
    // Duplicates are allowed (consumers dedupe by eventId); loss and reordering are not.
    expect(await sequenceOf(second.accepted, 'acc-a')).toEqual([
      'order-a:1',
      'order-a:2',
      'order-a:3',
    ]);
  });

  it('lets only the lease holder publish when two relays run', async () => {
    const one = recordingBus();
    const two = recordingBus();
    startRelay(opened.db, one.bus, 'relay-1');
    await eventually(async () => {
      const { rows } = await opened.db.query<{ holder: string }>('SELECT holder FROM leases');
      return rows[0]?.holder === 'relay-1' ? true : undefined;
    });
    startRelay(opened.db, two.bus, 'relay-2');
    for (let v = 1; v <= 5; v++) await append('acc-a', 'order-a', v);
    await eventually(async () => (one.accepted.length === 5 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(two.accepted).toEqual([]);
  });
}

describe('outbox relay on PGlite', () => {
  relaySuite('pglite');
});

describeWithServices(['postgres'], 'outbox relay on PostgreSQL', () => {
  relaySuite('postgres');
});
