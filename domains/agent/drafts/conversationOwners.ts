import { AwpError, conversationTopic } from '../../../contracts/index.js';
import type {
  ConversationStartedData,
  Migration,
  Projection,
  Queryable,
} from '../../../contracts/index.js';

export const conversationOwnerMigrations: readonly Migration[] = [
  {
    id: '2026-11-30-03-agent-conversation-owners',
    sql: `
      CREATE TABLE IF NOT EXISTS agent_conversation_owners (
        conversation_id  text PRIMARY KEY,
        account_id       text NOT NULL
      );
    `,
  },
];

/**
 * `agent.conversation-owners`: which account each conversation belongs to, from the
 * conversation domain's `ConversationStarted` events. The drafts API answers another
 * account's conversation with 404, like one that does not exist, without reading the
 * conversation domain's tables.
 */
export const conversationOwnersProjection: Projection = {
  name: 'agent.conversation-owners',
  topics: [conversationTopic],
  async apply(tx, event) {
    if (event.type !== 'ConversationStarted') return;
    const { conversationId } = event.data as ConversationStartedData;
    await tx.query(
      `INSERT INTO agent_conversation_owners (conversation_id, account_id) VALUES ($1, $2)
       ON CONFLICT (conversation_id) DO NOTHING`,
      [conversationId, event.accountId],
    );
  },
  async reset(tx) {
    await tx.query('DELETE FROM agent_conversation_owners');
  },
};

/**
 * Throws `not_found` unless the account owns the conversation. A conversation this projection
 * has not seen yet but that already has drafts of the account counts as owned: drafts are
 * written during the conversation's own replies, so they prove it.
 */
export async function assertConversationOwned(
  db: Queryable,
  accountId: string,
  conversationId: string,
): Promise<void> {
  const { rows } = await db.query(
    `SELECT 1 FROM agent_conversation_owners WHERE conversation_id = $1 AND account_id = $2
     UNION ALL
     SELECT 1 FROM agent_drafts WHERE conversation_id = $1 AND account_id = $2
     LIMIT 1`,
    [conversationId, accountId],
  );
  if (rows.length === 0) {
    throw new AwpError('not_found', `conversation '${conversationId}' does not exist`);
  }
}

/**
 * Waits until this projection knows the conversation, for `waitMs` at most, and throws
 * `not_found` unless it is the account's. A reply may be asked for the first message of a
 * conversation started a moment ago in another process, whose `ConversationStarted` is still
 * on its way here; until it arrives, the conversation cannot be told from another account's.
 */
export async function awaitConversationOwned(
  db: Queryable,
  accountId: string,
  conversationId: string,
  waitMs: number,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await db.query<{ account_id: string }>(
      'SELECT account_id FROM agent_conversation_owners WHERE conversation_id = $1',
      [conversationId],
    );
    const owner = rows[0]?.account_id;
    if (owner === accountId) return;
    if (owner !== undefined || Date.now() >= deadline) {
      throw new AwpError('not_found', `conversation '${conversationId}' does not exist`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
