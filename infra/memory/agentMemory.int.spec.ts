import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwpError, createEventCatalog, eventSchemas } from '../../contracts/index.js';
import type { EventStore, MemoryRecordedData } from '../../contracts/index.js';
import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';
import { AgentMemory, memoryStreamId } from '../../domains/agent/memory/index.js';
import type { MemoryRequest } from '../../domains/agent/memory/index.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { OpenedDatabase } from '../../test/support/testDatabases.js';
import { eventStoreMigrations } from '../postgres/eventStoreMigrations.js';
import { createPgEventStore } from '../postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';
import { createPgVectorStore } from './pgVectorStore.js';
import { vectorStoreMigrations } from './vectorStoreMigrations.js';

const dimension = 64;

/**
 * A deterministic stand-in for the embeddings port: each word adds ±1 to a slot chosen by its
 * hash, so texts sharing words point the same way and cosine similarity is easy to predict.
 */
const wordHashEmbeddings = (size = dimension): EmbeddingsProvider => ({
  name: 'word-hash',
  model: `word-hash-${size}`,
  async embed(texts) {
    return texts.map((text) => {
      const vector = new Array<number>(size).fill(0);
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        const digest = createHash('sha256').update(word).digest();
        vector[digest.readUInt32BE(0) % size]! += digest[4]! % 2 === 0 ? 1 : -1;
      }
      return vector;
    });
  },
});

const request: MemoryRequest = { actor: { type: 'user', id: 'alice' }, correlationId: 'corr-1' };
const longFact = (last: string) =>
  `The finance team closes the books on the third working day of each month and wants every ` +
  `invoice workflow to wait for the controller approval before it posts anything to the ledger ` +
  `and it must notify the accounts payable channel with a summary of totals ${last}`;

describe('agent memory on PGlite with pgvector', () => {
  let opened: OpenedDatabase;
  let events: EventStore;
  let memory: AgentMemory;
  let account = 0;
  const newAccount = () => `acc-memory-${++account}`;
  const recorded = async (accountId: string, memoryId: string) =>
    (await events.readStream(memoryStreamId(accountId, memoryId))).map(
      (event) => event.data as MemoryRecordedData,
    );

  beforeAll(async () => {
    opened = await openTestDatabase('pglite', [
      ...eventStoreMigrations,
      ...vectorStoreMigrations(dimension),
    ]);
    // The event catalog checks each event against its Avro schema, as the platform does.
    const catalog = createEventCatalog(eventSchemas);
    events = createPgEventStore({
      db: opened.db,
      clock: systemClock,
      ids: uuidV7Ids,
      validate: catalog.validate,
    });
    memory = new AgentMemory({
      eventStore: events,
      vectors: createPgVectorStore({ db: opened.db, dimension }),
      embeddings: wordHashEmbeddings(),
      ids: uuidV7Ids,
    });
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('records a memory as MemoryRecorded and recalls it by similarity', async () => {
    const acc = newAccount();
    const fact = { scope: 'tenant', kind: 'fact', text: 'Invoices go to SAP' } as const;
    const { memoryId, outcome } = await memory.remember(acc, fact, request);
    await memory.remember(acc, { ...fact, text: 'The office is in Lyon' }, request);

    expect(outcome).toBe('created');
    const [event] = await events.readStream(memoryStreamId(acc, memoryId));
    expect(event).toMatchObject({
      type: 'MemoryRecorded',
      accountId: acc,
      correlationId: 'corr-1',
      actor: { type: 'user', id: 'alice' },
      data: { memoryId, scope: 'tenant', userId: null, kind: 'fact', text: 'Invoices go to SAP' },
    });
    const [best] = await memory.recall(acc, 'bob', 'where do invoices go?', 2);
    expect(best).toMatchObject({ id: memoryId, text: 'Invoices go to SAP' });
  });

  it('updates a near-identical fact instead of adding a copy', async () => {
    const acc = newAccount();
    const base = { scope: 'tenant', kind: 'fact' } as const;
    const first = await memory.remember(acc, { ...base, text: longFact('daily') }, request);
    const second = await memory.remember(acc, { ...base, text: longFact('weekly') }, request);

    expect(second).toEqual({ memoryId: first.memoryId, outcome: 'updated' });
    expect((await recorded(acc, first.memoryId)).map((data) => data.text)).toEqual([
      longFact('daily'),
      longFact('weekly'),
    ]);
    const hits = await memory.recall(acc, undefined, longFact(''), 10);
    expect(hits.map((hit) => hit.text)).toEqual([longFact('weekly')]);
  });

  it('records nothing new when the same text is remembered again', async () => {
    const acc = newAccount();
    const fact = {
      scope: 'user',
      userId: 'alice',
      kind: 'preference',
      text: 'Prefers YAML',
    } as const;
    const first = await memory.remember(acc, fact, request);
    const again = await memory.remember(acc, { ...fact, text: '  Prefers YAML ' }, request);
    expect(again).toEqual({ memoryId: first.memoryId, outcome: 'unchanged' });
    expect(await recorded(acc, first.memoryId)).toHaveLength(1);
  });

  it("keeps a user's memories to that user, and another tenant's out of sight", async () => {
    const [acc, other] = [newAccount(), newAccount()];
    const preference = { scope: 'user', kind: 'preference', text: 'Prefers YAML' } as const;
    const alice = await memory.remember(acc, { ...preference, userId: 'alice' }, request);
    const bob = await memory.remember(acc, { ...preference, userId: 'bob' }, request);
    const team = await memory.remember(
      acc,
      { scope: 'tenant', kind: 'fact', text: 'YAML wins' },
      request,
    );
    await memory.remember(other, { scope: 'tenant', kind: 'fact', text: 'Prefers YAML' }, request);

    // The same text for two users is two memories: dedupe stays within one owner.
    expect(bob.memoryId).not.toBe(alice.memoryId);
    const ids = async (userId: string | undefined) =>
      (await memory.recall(acc, userId, 'prefers yaml', 10)).map((hit) => hit.id);
    expect(await ids('alice')).toEqual([alice.memoryId, team.memoryId]);
    expect(await ids('carol')).toEqual([team.memoryId]);
    expect(await ids(undefined)).toEqual([team.memoryId]);
  });

  it('forgets memories, and all of an account at once', async () => {
    const acc = newAccount();
    const base = { scope: 'tenant', kind: 'fact' } as const;
    const a = await memory.remember(acc, { ...base, text: 'Invoices go to SAP' }, request);
    await memory.remember(acc, { ...base, text: 'Orders go to Shopify' }, request);
    await memory.forget(acc, [a.memoryId], request);
    expect(await memory.recorded(acc, a.memoryId)).toBeUndefined();
    expect((await memory.recall(acc, undefined, 'invoices go', 10)).map((h) => h.text)).toEqual([
      'Orders go to Shopify',
    ]);
    await memory.forgetAccount(acc);
    expect(await memory.recall(acc, undefined, 'orders go', 10)).toEqual([]);
  });

  it('filters recall by kind and by a minimum similarity', async () => {
    const acc = newAccount();
    await memory.remember(
      acc,
      { scope: 'tenant', kind: 'summary', text: 'We built the invoice flow' },
      request,
    );
    await memory.remember(
      acc,
      { scope: 'tenant', kind: 'fact', text: 'Invoices go to SAP' },
      request,
    );
    const summaries = await memory.recall(acc, undefined, 'invoice', 10, { kinds: ['summary'] });
    expect(summaries.map((hit) => hit.kind)).toEqual(['summary']);
    expect(
      await memory.recall(acc, undefined, 'unrelated words here', 10, { minScore: 0.9 }),
    ).toEqual([]);
  });

  it('refuses bad input before recording anything', async () => {
    const acc = newAccount();
    const reject = (work: Promise<unknown>, field: string) =>
      expect(work).rejects.toMatchObject({ code: 'validation', details: { field } });
    await reject(
      memory.remember(acc, { scope: 'user', kind: 'fact', text: 'x' }, request),
      'userId',
    );
    await reject(
      memory.remember(acc, { scope: 'tenant', userId: 'alice', kind: 'fact', text: 'x' }, request),
      'userId',
    );
    await reject(
      memory.remember(acc, { scope: 'tenant', kind: 'fact', text: '   ' }, request),
      'text',
    );
    await reject(memory.recall(acc, 'alice', ' ', 5), 'query');
  });

  it('refuses an embedding model whose vectors do not fit the store, recording nothing', async () => {
    const acc = newAccount();
    const mismatched = new AgentMemory({
      eventStore: events,
      vectors: createPgVectorStore({ db: opened.db, dimension }),
      embeddings: wordHashEmbeddings(32),
      ids: { newId: () => 'never-recorded' },
    });
    const attempt = mismatched.remember(acc, { scope: 'tenant', kind: 'fact', text: 'x' }, request);
    await expect(attempt).rejects.toThrow(AwpError);
    await expect(attempt).rejects.toThrow(/32 dimensions, but the memory store holds 64/);
    expect(await events.readStream(memoryStreamId(acc, 'never-recorded'))).toEqual([]);
  });
});
