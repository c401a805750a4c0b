import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import type { MemoryPoint, VectorStore } from '../../domains/agent/memory/index.js';

export interface VectorStoreUnderTest {
  store: VectorStore;
  close(): Promise<void>;
}

/** The dimension every adapter is opened with by this suite. */
export const contractDimension = 4;

/**
 * What every VectorStore adapter must do; run against pgvector on PGlite and on PostgreSQL,
 * and against Qdrant. `open` gives a store of `contractDimension`; each test uses accounts of
 * its own, so the store need not be empty.
 */
export function vectorStoreContract(open: () => Promise<VectorStoreUnderTest>): void {
  let subject: VectorStoreUnderTest;
  beforeAll(async () => {
    subject = await open();
  });
  afterAll(async () => {
    await subject?.close();
  });

  const account = () => `acc-${randomUUID()}`;
  const point = (
    accountId: string,
    id: string,
    vector: number[],
    more: Partial<MemoryPoint> = {},
  ) =>
    ({
      id,
      accountId,
      scope: 'tenant',
      kind: 'fact',
      text: `text of ${id}`,
      vector,
      ...more,
    }) as MemoryPoint;
  const ids = async (
    accountId: string,
    vector: number[],
    options: Parameters<VectorStore['search']>[2],
  ) => (await subject.store.search(accountId, vector, options)).map((hit) => hit.id);

  it('finds what it stored, with its fields and a similarity of 1 for the same direction', async () => {
    const acc = account();
    await subject.store.upsert([
      point(acc, 'm1', [1, 2, 3, 4], { text: 'prefers YAML', kind: 'preference' }),
    ]);
    const [hit] = await subject.store.search(acc, [2, 4, 6, 8], { limit: 5 });
    expect(hit).toMatchObject({
      id: 'm1',
      scope: 'tenant',
      userId: null,
      kind: 'preference',
      text: 'prefers YAML',
    });
    expect(hit?.score).toBeCloseTo(1, 5);
  });

  it('ranks by cosine similarity, most similar first, and honours the limit', async () => {
    const acc = account();
    await subject.store.upsert([
      point(acc, 'far', [0, 1, 0, 0]),
      point(acc, 'near', [1, 0.1, 0, 0]),
      point(acc, 'middle', [1, 1, 0, 0]),
      point(acc, 'opposite', [-1, 0, 0, 0]),
    ]);
    const hits = await subject.store.search(acc, [1, 0, 0, 0], { limit: 4 });
    expect(hits.map((hit) => hit.id)).toEqual(['near', 'middle', 'far', 'opposite']);
    expect(hits.map((hit) => hit.score)).toEqual([
      expect.closeTo(1 / Math.hypot(1, 0.1), 5),
      expect.closeTo(Math.SQRT1_2, 5),
      expect.closeTo(0, 5),
      expect.closeTo(-1, 5),
    ]);
    expect(await ids(acc, [1, 0, 0, 0], { limit: 2 })).toEqual(['near', 'middle']);
  });

  it("never returns another account's points, even nearer ones with the same id", async () => {
    const [mine, theirs] = [account(), account()];
    await subject.store.upsert([
      point(mine, 'shared-id', [0, 1, 0, 0], { text: 'mine' }),
      point(theirs, 'shared-id', [1, 0, 0, 0], { text: 'theirs' }),
      point(theirs, 'other', [1, 0, 0, 0]),
    ]);
    const hits = await subject.store.search(mine, [1, 0, 0, 0], { limit: 10 });
    expect(hits.map(({ id, text }) => ({ id, text }))).toEqual([{ id: 'shared-id', text: 'mine' }]);
  });

  it("shows a user's memories to that user only, and the tenant's to everyone", async () => {
    const acc = account();
    await subject.store.upsert([
      point(acc, 'alice-pref', [1, 0, 0, 0], { scope: 'user', userId: 'alice' }),
      point(acc, 'bob-pref', [1, 0, 0, 0], { scope: 'user', userId: 'bob' }),
      point(acc, 'team-fact', [1, 0.5, 0, 0]),
    ]);
    const query = [1, 0, 0, 0];
    expect(await ids(acc, query, { userId: 'alice', limit: 10 })).toEqual([
      'alice-pref',
      'team-fact',
    ]);
    expect(await ids(acc, query, { userId: 'carol', limit: 10 })).toEqual(['team-fact']);
    expect(await ids(acc, query, { limit: 10 })).toEqual(['team-fact']);
    expect(await ids(acc, query, { userId: 'bob', scope: 'user', limit: 10 })).toEqual([
      'bob-pref',
    ]);
    expect(await ids(acc, query, { userId: 'bob', scope: 'tenant', limit: 10 })).toEqual([
      'team-fact',
    ]);
    expect(await ids(acc, query, { scope: 'user', limit: 10 })).toEqual([]);
  });

  it('filters by kind', async () => {
    const acc = account();
    await subject.store.upsert([
      point(acc, 'f', [1, 0, 0, 0], { kind: 'fact' }),
      point(acc, 'p', [1, 0, 0, 0], { kind: 'preference' }),
      point(acc, 's', [1, 0, 0, 0], { kind: 'summary' }),
    ]);
    const found = await ids(acc, [1, 0, 0, 0], { kinds: ['fact', 'summary'], limit: 10 });
    expect(found.sort()).toEqual(['f', 's']);
  });

  it('replaces a point upserted again under the same id', async () => {
    const acc = account();
    await subject.store.upsert([point(acc, 'm', [1, 0, 0, 0], { text: 'old' })]);
    await subject.store.upsert([point(acc, 'm', [0, 0, 1, 0], { text: 'new' })]);
    const hits = await subject.store.search(acc, [0, 0, 1, 0], { limit: 10 });
    expect(hits.map(({ id, text, score }) => ({ id, text, score: Math.round(score) }))).toEqual([
      { id: 'm', text: 'new', score: 1 },
    ]);
  });

  it("deletes the listed points of its account only, and all of an account's on request", async () => {
    const [acc, other] = [account(), account()];
    await subject.store.upsert([
      point(acc, 'a', [1, 0, 0, 0]),
      point(acc, 'b', [1, 0, 0, 0]),
      point(other, 'a', [1, 0, 0, 0]),
    ]);
    await subject.store.delete(acc, ['a', 'not-there']);
    expect(await ids(acc, [1, 0, 0, 0], { limit: 10 })).toEqual(['b']);
    expect(await ids(other, [1, 0, 0, 0], { limit: 10 })).toEqual(['a']);
    await subject.store.deleteAll(acc);
    expect(await ids(acc, [1, 0, 0, 0], { limit: 10 })).toEqual([]);
    expect(await ids(other, [1, 0, 0, 0], { limit: 10 })).toEqual(['a']);
  });

  it('rejects vectors of another dimension, storing nothing', async () => {
    const acc = account();
    const wrong = point(acc, 'w', [1, 0, 0]);
    await expect(subject.store.upsert([point(acc, 'ok', [1, 0, 0, 0]), wrong])).rejects.toThrow(
      /3 dimensions .* 4-dimension/,
    );
    await expect(subject.store.search(acc, [1, 0, 0, 0, 0], { limit: 1 })).rejects.toMatchObject({
      code: 'validation',
    });
    expect(await ids(acc, [1, 0, 0, 0], { limit: 10 })).toEqual([]);
  });

  it('rejects a zero vector, a user memory without its user and a limit out of range', async () => {
    const acc = account();
    const rejects = (work: Promise<unknown>) => expect(work).rejects.toBeInstanceOf(AwpError);
    await rejects(subject.store.upsert([point(acc, 'z', [0, 0, 0, 0])]));
    await rejects(subject.store.upsert([point(acc, 'u', [1, 0, 0, 0], { scope: 'user' })]));
    await rejects(subject.store.search(acc, [1, 0, 0, 0], { limit: 0 }));
  });
}
