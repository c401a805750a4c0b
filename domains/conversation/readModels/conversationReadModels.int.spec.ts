import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationEvent, EventEnvelope } from '../../../contracts/index.js';
import { describeWithServices } from '../../../test/support/realServices.js';
import { openTestDatabase } from '../../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../../test/support/testDatabases.js';
import { conversationMessagesProjection } from './conversationMessages.js';
import { ConversationQueries } from './conversationQueries.js';
import { conversationSummariesProjection } from './conversationSummaries.js';
import { conversationMigrations } from './readModelMigrations.js';

/**
 * The conversation read models over real SQL (PGlite and PostgreSQL): events applied the way
 * the projection runner applies them, redeliveries included, then read back through the
 * queries the API uses.
 */
function readModelSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let queries: ConversationQueries;
  const versions = new Map<string, number>();
  let clock = Date.parse('2026-12-01T10:00:00.000Z');

  function envelope(accountId: string, event: ConversationEvent): EventEnvelope {
    const { conversationId } = event.data;
    const streamVersion = (versions.get(conversationId) ?? 0) + 1;
    versions.set(conversationId, streamVersion);
    clock += 1_000;
    return {
      ...event,
      eventId: crypto.randomUUID(),
      accountId,
      streamId: `conversation-${conversationId}`,
      streamVersion,
      occurredAt: new Date(clock).toISOString(),
      correlationId: 'corr-1',
      causationId: null,
      actor: { type: 'user', id: 'u-1' },
      schemaVersion: 1,
    };
  }
  const apply = (...events: EventEnvelope[]) =>
    opened.db.transaction(async (tx) => {
      for (const event of events) {
        await conversationSummariesProjection.apply(tx, event);
        await conversationMessagesProjection.apply(tx, event);
      }
    });
  const started = (conversationId: string, title: string): ConversationEvent => ({
    type: 'ConversationStarted',
    data: {
      conversationId,
      userId: 'u-1',
      agentId: null,
      title,
      parentConversationId: null,
      branchedFromMessageId: null,
    },
  });
  const message = (
    conversationId: string,
    messageId: string,
    content: string,
    editsMessageId: string | null = null,
  ): ConversationEvent => ({
    type: 'MessageReceived',
    data: {
      conversationId,
      messageId,
      role: 'user',
      content,
      parentMessageId: null,
      editsMessageId,
      agentId: null,
    },
  });

  beforeAll(async () => {
    opened = await openTestDatabase(kind, conversationMigrations);
    queries = new ConversationQueries(opened.db);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('keeps each edit once in the message’s history, and counts messages, not edits', async () => {
    const history = [
      envelope('acc-1', started('c-1', 'Greetings')),
      envelope('acc-1', message('c-1', 'm-1', 'Helo')),
    ];
    const edit = envelope('acc-1', message('c-1', 'e-1', 'Hello', 'm-1'));
    await apply(...history, edit);
    await apply(edit); // a redelivery the runner's dedupe did not catch
    const { rows } = await opened.db.query<{ content: string; edited: boolean; history: unknown }>(
      `SELECT content, edited, edit_history AS history FROM conversation_messages
       WHERE account_id = 'acc-1' AND message_id = 'm-1'`,
    );
    expect(rows).toEqual([
      {
        content: 'Hello',
        edited: true,
        history: [{ editId: 'e-1', content: 'Helo', replacedAt: edit.occurredAt }],
      },
    ]);
    const page = await queries.list('acc-1', { limit: 10 });
    expect(page.items).toEqual([
      expect.objectContaining({
        conversationId: 'c-1',
        title: 'Greetings',
        status: 'open',
        messageCount: 1,
        lastActivityAt: edit.occurredAt,
      }),
    ]);
  });

  it('pages the list by last activity and filters by status', async () => {
    await apply(
      envelope('acc-2', started('c-a', 'A')),
      envelope('acc-2', started('c-b', 'B')),
      envelope('acc-2', started('c-c', 'C')),
      envelope('acc-2', message('c-a', 'm-a', 'bump')),
      envelope('acc-2', {
        type: 'ConversationEnded',
        data: { conversationId: 'c-b', reason: null },
      }),
    );
    const first = await queries.list('acc-2', { limit: 2 });
    expect(first.items.map((item) => item.conversationId)).toEqual(['c-b', 'c-a']);
    const second = await queries.list('acc-2', { limit: 2, after: first.next as string });
    expect(second).toEqual({
      items: [expect.objectContaining({ conversationId: 'c-c' })],
      next: null,
    });
    const ended = await queries.list('acc-2', { limit: 10, status: 'ended' });
    expect(ended.items.map((item) => item.conversationId)).toEqual(['c-b']);
    await expect(queries.list('acc-2', { limit: 2, after: 'bogus' })).rejects.toMatchObject({
      code: 'validation',
    });
  });

  it('searches the current text of one account’s messages, with a highlighted snippet', async () => {
    await apply(
      envelope('acc-3', started('c-s', 'Shipping')),
      envelope('acc-3', message('c-s', 'm-s1', 'The pallet manifest for Rotterdam is late')),
      envelope('acc-3', message('c-s', 'm-s2', 'Rotterdam, Rotterdam, and again Rotterdam')),
      envelope('acc-3', message('c-s', 'm-s3', 'old words about a manifest')),
      envelope('acc-3', message('c-s', 'e-s3', 'new words', 'm-s3')),
      envelope('acc-4', started('c-x', 'Elsewhere')),
      envelope('acc-4', message('c-x', 'm-x', 'Rotterdam manifest of another tenant')),
    );
    const hits = await queries.search('acc-3', 'rotterdam', 10);
    expect(hits.items.map((hit) => hit.messageId)).toEqual(['m-s2', 'm-s1']);
    expect(hits.items[1]).toMatchObject({
      conversationId: 'c-s',
      conversationTitle: 'Shipping',
      role: 'user',
      snippet: expect.stringContaining('**Rotterdam**'),
    });
    expect((await queries.search('acc-3', 'manifest', 10)).items.map((h) => h.messageId)).toEqual([
      'm-s1',
    ]);
    expect((await queries.search('acc-3', '"manifest rotterdam"', 10)).items).toEqual([]);
    expect((await queries.search('acc-3', 'rotterdam -pallet', 10)).items).toHaveLength(1);
  });
}

describe('conversation read models on PGlite', () => {
  readModelSuite('pglite');
});

describeWithServices(['postgres'], 'conversation read models on PostgreSQL', () => {
  readModelSuite('postgres');
});
