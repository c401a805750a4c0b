import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfLog } from '../../contracts/index.js';
import type { Database, EventStore, GlobalCursor, LoggedEvent } from '../../contracts/index.js';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../test/support/testDatabases.js';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';
import { eventStoreMigrations } from './eventStoreMigrations.js';
import { createPgEventStore } from './pgEventStore.js';

const metadata = {
  accountId: 'acc-1',
  correlationId: 'c',
  causationId: null,
  actor: { type: 'system' as const, id: 'test' },
};

function storeOn(db: Database): EventStore {
  return createPgEventStore({ db, clock: systemClock, ids: uuidV7Ids });
}

async function drain(store: EventStore, from: GlobalCursor, batch: number) {
  const events: LoggedEvent[] = [];
  let cursor = from;
  for (;;) {
    const page = await store.readAll(cursor, batch);
    if (page.events.length === 0) return { events, cursor };
    events.push(...page.events);
    cursor = page.next;
  }
}

const noteOn = (store: EventStore, streamId: string, n: number) =>
  store.append({
    streamId,
    expectedVersion: n - 1 === 0 ? 'no_stream' : n - 1,
    metadata,
    topic: 'awp.test.events',
    events: [{ type: 'Noted', data: { n } }],
  });

function readerBehaviour(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let store: EventStore;
  beforeAll(async () => {
    opened = await openTestDatabase(kind, eventStoreMigrations);
    store = storeOn(opened.db);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('reads every event once, in order, page by page with batch size 1', async () => {
    await noteOn(store, 'note-a', 1);
    await noteOn(store, 'note-b', 1);
    await noteOn(store, 'note-a', 2);
    const { events, cursor } = await drain(store, startOfLog, 1);
    expect(events.map((e) => `${e.streamId}:${e.streamVersion}`)).toEqual([
      'note-a:1',
      'note-b:1',
      'note-a:2',
    ]);
    expect(await store.lagBehind(cursor)).toBe(0);
    const again = await store.readAll(cursor, 10);
    expect(again).toEqual({ events: [], next: cursor });
  });
}

describe('global log reader on PGlite', () => {
  readerBehaviour('pglite');
});

describeWithServices(['postgres'], 'global log reader on PostgreSQL', () => {
  readerBehaviour('postgres');

  describe('with concurrent transactions', () => {
    let opened: OpenedDatabase;
    let store: EventStore;
    let slow: pg.Client;
    beforeAll(async () => {
      opened = await openTestDatabase('postgres', eventStoreMigrations);
      store = storeOn(opened.db);
      const { rows } = await opened.db.query<{ url: string }>(
        `SELECT 'postgres://awp@127.0.0.1:' || current_setting('port') || '/' || current_database() AS url`,
      );
      slow = new pg.Client({ connectionString: rows[0]?.url });
      await slow.connect();
    });
    afterAll(async () => {
      await slow?.end();
      await opened?.close();
    });

    /** T1 takes a position and stays open; T2 appends after it and commits first. */
    async function beginSlowAppend(streamId: string): Promise<() => Promise<void>> {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO es_events (event_id, type, stream_id, stream_version, schema_version,
           account_id, correlation_id, causation_id, actor, data, occurred_at)
         VALUES (gen_random_uuid(), 'Noted', $1, 1, 1, 'acc-1', 'c', NULL, '{}', '{}', now())`,
        [streamId],
      );
      return async () => {
        await slow.query('COMMIT');
      };
    }

    it('waits for a slower transaction with an earlier position instead of skipping it', async () => {
      let cursor = (await drain(store, startOfLog, 100)).cursor;
      const commitSlow = await beginSlowAppend('race-slow');
      await noteOn(store, 'race-fast', 1);

      // Boundary 1: T2 committed, T1 open — nothing is readable yet, and the lag shows why.
      const blocked = await store.readAll(cursor, 1);
      expect(blocked.events).toEqual([]);
      expect(await store.lagBehind(cursor)).toBe(1);

      // Boundary 2: T1 commits — both arrive, T1's (earlier transaction) first.
      await commitSlow();
      const first = await store.readAll(cursor, 1);
      expect(first.events.map((e) => e.streamId)).toEqual(['race-slow']);
      cursor = first.next;
      const second = await store.readAll(cursor, 1);
      expect(second.events.map((e) => e.streamId)).toEqual(['race-fast']);
      cursor = second.next;
      expect((await store.readAll(cursor, 1)).events).toEqual([]);
      expect(await store.lagBehind(cursor)).toBe(0);
    });

    it('delivers exactly the committed events, per-stream order kept (property)', async () => {
      let cursor = (await drain(store, startOfLog, 100)).cursor;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.array(
              fc.record({ delayMs: fc.integer({ min: 0, max: 4 }), rollback: fc.boolean() }),
              {
                minLength: 1,
                maxLength: 5,
              },
            ),
            { minLength: 2, maxLength: 5 },
          ),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
          async (writers, batchSizes) => {
            run++;
            const committed = new Set<string>();
            const writing = writers.map(async (steps, w) => {
              const streamId = `prop-${run}-${w}`;
              const delaying = delayingDatabase(opened.db);
              const writer = storeOn(delaying.db);
              let version = 0;
              for (const step of steps) {
                delaying.next(step);
                try {
                  const result = await writer.append({
                    streamId,
                    expectedVersion: version === 0 ? 'no_stream' : version,
                    metadata,
                    topic: 'awp.test.events',
                    events: [{ type: 'Noted', data: { version: version + 1 } }],
                  });
                  version = result.nextVersion;
                  committed.add(`${streamId}:${version}`);
                } catch (error) {
                  if (!(error instanceof RolledBack)) throw error;
                }
              }
            });

            // The reader runs while writers write: random batch sizes, restarting from its
            // cursor (the only state a restarted reader keeps) every few pages.
            const delivered: LoggedEvent[] = [];
            let done = false;
            const finished = Promise.all(writing).then(() => (done = true));
            let page = 0;
            while (!done) {
              const batch = batchSizes[page++ % batchSizes.length] as number;
              const result = await storeOn(opened.db).readAll(cursor, batch);
              delivered.push(...result.events);
              cursor = result.next;
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
            await finished;
            const rest = await drain(store, cursor, 3);
            delivered.push(...rest.events);
            cursor = rest.cursor;

            const seen = delivered.map((e) => `${e.streamId}:${e.streamVersion}`);
            expect(new Set(seen).size).toBe(seen.length);
            expect(new Set(seen)).toEqual(committed);
            for (let w = 0; w < writers.length; w++) {
              const versions = delivered
                .filter((e) => e.streamId === `prop-${run}-${w}`)
                .map((e) => e.streamVersion);
              expect(versions).toEqual(versions.map((_, i) => i + 1));
            }
          },
        ),
        { numRuns: 15 },
      );
    });
  });
});

class RolledBack extends Error {}

/**
 * The real Database, with a pause before each statement of a transaction and, when told, a
 * rollback instead of the commit: the interleavings that open the sequence-gap race.
 */
function delayingDatabase(db: Database) {
  let step = { delayMs: 0, rollback: false };
  const pause = () => new Promise((resolve) => setTimeout(resolve, step.delayMs));
  const delaying: Database = {
    ...db,
    query: db.query.bind(db),
    async transaction(work) {
      return db.transaction(async (tx) => {
        const result = await work({
          async query(sql, params) {
            await pause();
            return tx.query(sql, params);
          },
        });
        await pause();
        if (step.rollback) throw new RolledBack('rolled back on purpose');
        return result;
      });
    },
  };
  return {
    db: delaying,
    next(next: { delayMs: number; rollback: boolean }) {
      step = next;
    },
  };
}
