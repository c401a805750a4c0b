import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../contracts/index.js';
import { prioritizeRequests } from './prioritizedDatabase.js';

/** A database that records the order statements reach it and answers when told to. */
/** Waits up to 2 s for `done`, checking every 2 ms. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !done(); i++) await sleep(2);
}

function recordingDatabase() {
  const reached: string[] = [];
  const pending = new Map<string, () => void>();
  const answer = async (sql: string) => {
    reached.push(sql);
    await new Promise<void>((resolve) => pending.set(sql, resolve));
    return { rows: [], rowCount: 0 };
  };
  const db: Database = {
    query: async (sql) => answer(sql),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => {
      return work({ query: async (sql) => answer(sql) });
    },
    ping: async () => undefined,
    close: async () => undefined,
  };
  const finish = async (sql: string) => {
    for (let i = 0; i < 100 && !pending.has(sql); i++) await sleep(1);
    const resolve = pending.get(sql);
    if (!resolve) throw new Error(`'${sql}' never reached the database`);
    pending.delete(sql);
    resolve();
  };
  return { db, reached, finish };
}

describe('prioritizeRequests (the embedded database serves requests before background work)', () => {
  it('lets background work through at once when no request is using the database', async () => {
    const { db, reached, finish } = recordingDatabase();
    const { background } = prioritizeRequests(db, { quietMs: 5, maxDeferMs: 1_000 });
    const done = background.query('projection');
    await sleep(1);
    expect(reached).toEqual(['projection']);
    await finish('projection');
    await done;
  });

  it('holds background work back while a request runs and for the quiet time after it', async () => {
    const { db, reached, finish } = recordingDatabase();
    const { requests, background } = prioritizeRequests(db, { quietMs: 20, maxDeferMs: 1_000 });
    const request = requests.query('read');
    const relay = background.query('relay');
    const projection = background.transaction((tx) => tx.query('projection'));
    await sleep(5);
    expect(reached).toEqual(['read']);
    await finish('read');
    await request;
    // A second statement of the same request, within the quiet time, still goes first.
    await sleep(5);
    const second = requests.query('read again');
    await sleep(1);
    expect(reached).toEqual(['read', 'read again']);
    await finish('read again');
    await second;
    // Then background work, one operation at a time and in the order it asked. Waited for
    // rather than slept on: a loaded CI machine fires the quiet-time timer late.
    await until(() => reached.length === 3);
    expect(reached).toEqual(['read', 'read again', 'relay']);
    await finish('relay');
    await relay;
    await until(() => reached.length === 4);
    expect(reached).toEqual(['read', 'read again', 'relay', 'projection']);
    await finish('projection');
    await projection;
  });

  it('never holds background work longer than maxDeferMs, however busy the requests', async () => {
    const { db, reached, finish } = recordingDatabase();
    const { requests, background } = prioritizeRequests(db, { quietMs: 5, maxDeferMs: 40 });
    const busy = requests.query('long request');
    const started = performance.now();
    const relay = background.query('relay');
    for (let i = 0; i < 100 && !reached.includes('relay'); i++) await sleep(2);
    expect(reached).toEqual(['long request', 'relay']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    await finish('relay');
    await finish('long request');
    await Promise.all([relay, busy]);
  });

  it('passes errors through and keeps counting requests correctly after one fails', async () => {
    const failing: Database = {
      query: async <Row extends object>(sql: string) => {
        if (sql === 'bad') throw new Error('syntax error');
        return { rows: [{ sql }] as unknown as Row[], rowCount: 1 };
      },
      transaction: async (work) => work({ query: async () => ({ rows: [], rowCount: 0 }) }),
      ping: async () => undefined,
      close: async () => undefined,
    };
    const { requests, background } = prioritizeRequests(failing, { quietMs: 5, maxDeferMs: 500 });
    await expect(requests.query('bad')).rejects.toThrow('syntax error');
    await sleep(10);
    const started = performance.now();
    await expect(background.query('fine')).resolves.toEqual({
      rows: [{ sql: 'fine' }],
      rowCount: 1,
    });
    // Had the failed request been left counted as running, this would wait the full 500 ms.
    expect(performance.now() - started).toBeLessThan(100);
  });
});
