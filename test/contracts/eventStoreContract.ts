import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwpError, StreamVersionConflict, startOfLog } from '../../contracts/index.js';
import type { EventMetadata, EventStore } from '../../contracts/index.js';
import type { Database } from '../../contracts/index.js';

export interface EventStoreUnderTest {
  store: EventStore;
  db: Database;
  close(): Promise<void>;
}

const metadata: EventMetadata = {
  accountId: 'acc-1',
  correlationId: 'corr-1',
  causationId: null,
  actor: { type: 'user', id: 'u-1' },
};

/** What every EventStore adapter must do: run on PGlite and on PostgreSQL. */
export function eventStoreContract(open: () => Promise<EventStoreUnderTest>): void {
  let subject: EventStoreUnderTest;
  let counter = 0;
  const stream = () => `order-${Date.now()}-${counter++}`;
  const append = (streamId: string, expectedVersion: number | 'no_stream' | 'any', n = 1) =>
    subject.store.append({
      streamId,
      expectedVersion,
      metadata,
      topic: 'awp.test.events',
      events: Array.from({ length: n }, (_, i) => ({ type: 'OrderNoted', data: { i } })),
    });

  beforeAll(async () => {
    subject = await open();
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('appends to a new stream and reads it back in order with the envelope', async () => {
    const id = stream();
    const result = await append(id, 'no_stream', 3);
    expect(result.nextVersion).toBe(3);
    const events = await subject.store.readStream(id);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({
      type: 'OrderNoted',
      streamId: id,
      accountId: 'acc-1',
      correlationId: 'corr-1',
      causationId: null,
      actor: { type: 'user', id: 'u-1' },
      schemaVersion: 1,
      data: { i: 0 },
    });
    expect(events[0]?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one outbox row per event in the same commit', async () => {
    const id = stream();
    const { events } = await append(id, 'no_stream', 2);
    const { rows } = await subject.db.query<{ event_id: string; key: string; topic: string }>(
      'SELECT event_id, key, topic FROM es_outbox WHERE event_id = ANY($1::uuid[]) ORDER BY position',
      [events.map((e) => e.eventId)],
    );
    expect(rows).toEqual(
      events.map((e) => ({ event_id: e.eventId, key: 'acc-1', topic: 'awp.test.events' })),
    );
  });

  it('refuses an append with a stale expected version', async () => {
    const id = stream();
    await append(id, 'no_stream');
    await expect(append(id, 'no_stream')).rejects.toBeInstanceOf(StreamVersionConflict);
    await expect(append(id, 0)).rejects.toMatchObject({ code: 'conflict', actual: 1 });
    await expect(append(id, 1)).resolves.toMatchObject({ nextVersion: 2 });
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    const id = stream();
    await append(id, 'no_stream');
    const outcomes = await Promise.allSettled([append(id, 1), append(id, 1)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StreamVersionConflict);
    expect(await subject.store.readStream(id)).toHaveLength(2);
  });

  it('reserves unique keys with the append and refuses a taken one, writing nothing', async () => {
    const key = { scope: 'order-ref', value: `ref-${counter}`, takenMessage: 'reference taken' };
    const first = stream();
    const second = stream();
    await subject.store.append({
      streamId: first,
      expectedVersion: 'no_stream',
      metadata,
      topic: 'awp.test.events',
      events: [{ type: 'OrderNoted', data: {} }],
      uniqueKeys: [key],
    });
    const refused = subject.store.append({
      streamId: second,
      expectedVersion: 'no_stream',
      metadata,
      topic: 'awp.test.events',
      events: [{ type: 'OrderNoted', data: {} }],
      uniqueKeys: [key],
    });
    await expect(refused).rejects.toEqual(new AwpError('conflict', 'reference taken'));
    expect(await subject.store.readStream(second)).toEqual([]);
  });

  describe('filtered reads of the global log (audit, export, rebuilds)', () => {
    const appendAs = (accountId: string, topic: string, type: string) =>
      subject.store.append({
        streamId: stream(),
        expectedVersion: 'no_stream',
        metadata: { ...metadata, accountId },
        topic,
        events: [{ type, data: {} }],
      });
    const readAllMatching = async (filter: Parameters<EventStore['readAll']>[2]) => {
      const found: string[] = [];
      let cursor = startOfLog;
      for (;;) {
        const page = await subject.store.readAll(cursor, 2, filter);
        found.push(...page.events.map((e) => `${e.accountId}/${e.topic}/${e.type}`));
        if (page.events.length < 2) return { found, next: page.next };
        cursor = page.next;
      }
    };

    it('filters by account, type and topic, keeping commit order', async () => {
      const account = `acc-filter-${counter++}`;
      await appendAs(account, 'awp.a.events', 'One');
      await appendAs('someone-else', 'awp.a.events', 'One');
      await appendAs(account, 'awp.b.events', 'Two');
      await appendAs(account, 'awp.a.events', 'Three');
      expect((await readAllMatching({ accountId: account })).found).toEqual([
        `${account}/awp.a.events/One`,
        `${account}/awp.b.events/Two`,
        `${account}/awp.a.events/Three`,
      ]);
      expect(
        (await readAllMatching({ accountId: account, topics: ['awp.a.events'] })).found,
      ).toEqual([`${account}/awp.a.events/One`, `${account}/awp.a.events/Three`]);
      expect((await readAllMatching({ accountId: account, types: ['Two'] })).found).toEqual([
        `${account}/awp.b.events/Two`,
      ]);
    });

    it('filters by time range and by position', async () => {
      const account = `acc-time-${counter++}`;
      await appendAs(account, 'awp.a.events', 'Early');
      const head = await subject.store.headPosition();
      await appendAs(account, 'awp.a.events', 'Late');
      expect((await readAllMatching({ accountId: account, toPosition: head })).found).toEqual([
        `${account}/awp.a.events/Early`,
      ]);
      expect(
        (await readAllMatching({ accountId: account, from: '2999-01-01T00:00:00Z' })).found,
      ).toEqual([]);
      expect(
        (await readAllMatching({ accountId: account, to: '2999-01-01T00:00:00Z' })).found,
      ).toHaveLength(2);
    });

    it('moves a filtered cursor past what did not match, so the next read starts later', async () => {
      const skipped = await appendAs(`acc-skipped-${counter++}`, 'awp.a.events', 'Skipped');
      const { found, next } = await readAllMatching({ accountId: 'nobody-has-this-account' });
      expect(found).toEqual([]);
      expect(next).not.toEqual(startOfLog);
      // Unfiltered from there, the non-matching event already scanned is not read again.
      const after = await subject.store.readAll(next, 1000);
      expect(after.events.map((e) => e.eventId)).not.toContain(skipped.events[0]?.eventId);
    });

    it('starts a reader at the horizon: it sees only later commits', async () => {
      const account = `acc-horizon-${counter++}`;
      await appendAs(account, 'awp.a.events', 'Before');
      const cursor = await subject.store.horizonCursor();
      await appendAs(account, 'awp.a.events', 'After');
      const page = await subject.store.readAll(cursor, 10, { accountId: account });
      expect(page.events.map((e) => e.type)).toEqual(['After']);
      const unfiltered = await subject.store.readAll(cursor, 10);
      expect(unfiltered.events.map((e) => e.type)).toEqual(['After']);
    });
  });

  describe('with nothing to append', () => {
    it('refuses an empty append', async () => {
      await expect(append(stream(), 'no_stream', 0)).rejects.toMatchObject({
        code: 'illegal_state',
      });
    });
  });
}
