import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusMessage, Database, EventStore } from '../../contracts/index.js';
import { decodeEvent } from '../../contracts/index.js';
import { eventually } from '../../test/support/eventually.js';
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
  const relays: OutboxRelay[] = [];
  const startRelay = (
    db: Database,
    bus: ReturnType<typeof recordingBus>['bus'],
    holder: string,
  ) => {
    const relay = startOutboxRelay({
      db,
      bus,
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
  const sequenceOf = (messages: readonly BusMessage[], account: string) =>
    messages
      .filter((m) => m.key === account)
      .map((m) => decodeEvent(m.value))
      .map((e) => `${e.streamId}:${e.streamVersion}`);

  beforeEach(async () => {
    opened = await openTestDatabase(kind, [...eventStoreMigrations, ...leaseMigrations]);
    store = createPgEventStore({ db: opened.db, clock: systemClock, ids: uuidV7Ids });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
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
    expect(sequenceOf(recording.accepted, 'acc-a')).toEqual([
      'order-a:1',
      'order-a:2',
      'order-a:3',
    ]);
    expect(sequenceOf(recording.accepted, 'acc-b')).toEqual([
      'order-b:1',
      'order-b:2',
      'order-b:3',
    ]);
    const { rows } = await opened.db.query<{ unsent: number }>(
      'SELECT count(*)::int AS unsent FROM es_outbox WHERE sent_at IS NULL',
    );
    expect(rows[0]?.unsent).toBe(0);
  });

  it('keeps rows the broker refused and publishes them once it accepts', async () => {
    await append('acc-a', 'order-a', 1);
    const recording = recordingBus();
    recording.failNextPublishes(2);
    startRelay(opened.db, recording.bus, 'relay-1');
    await eventually(async () => (recording.accepted.length === 1 ? true : undefined), {
      timeoutMs: 15_000,
    });
    expect(sequenceOf(recording.accepted, 'acc-a')).toEqual(['order-a:1']);
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
    expect(sequenceOf(second.accepted, 'acc-a')).toEqual(['order-a:1', 'order-a:2', 'order-a:3']);
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
