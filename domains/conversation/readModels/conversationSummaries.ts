import { conversationTopic } from '../../../contracts/index.js';
import type {
  ConversationEvent,
  EventEnvelope,
  Projection,
  Queryable,
} from '../../../contracts/index.js';

type ConversationEnvelope = EventEnvelope & ConversationEvent;

const types: ReadonlySet<string> = new Set<ConversationEvent['type']>([
  'ConversationStarted',
  'MessageReceived',
  'ConversationEnded',
]);

/**
 * `conversation_summaries`, one row per conversation: what `GET /v1/conversations` lists. Every
 * update carries the event's stream version and changes the row only when it is newer, so a
 * redelivered or out-of-order event is a no-op even without the runner's dedupe table.
 */
export const conversationSummariesProjection: Projection = {
  name: 'conversation.summaries',
  topics: [conversationTopic],
  async apply(tx, envelope) {
    if (!types.has(envelope.type)) return;
    await applySummaryEvent(tx, envelope as ConversationEnvelope);
  },
  async reset(tx) {
    await tx.query('DELETE FROM conversation_summaries');
  },
};

async function applySummaryEvent(tx: Queryable, event: ConversationEnvelope): Promise<void> {
  const key = [event.accountId, event.data.conversationId, event.streamVersion, event.occurredAt];
  switch (event.type) {
    case 'ConversationStarted': {
      const { data } = event;
      await tx.query(
        `INSERT INTO conversation_summaries (account_id, conversation_id, stream_version,
           created_at, last_activity_at, title, status, agent_id, parent_conversation_id,
           branched_from_message_id, started_by)
         VALUES ($1, $2, $3, $4, $4, $5, 'open', $6, $7, $8, $9)
         ON CONFLICT (account_id, conversation_id) DO NOTHING`,
        [
          ...key,
          data.title,
          data.agentId,
          data.parentConversationId,
          data.branchedFromMessageId,
          data.userId,
        ],
      );
      return;
    }
    case 'MessageReceived': {
      // An edit changes a message, not how many there are.
      const added = event.data.editsMessageId === null ? 1 : 0;
      await update(tx, key, 'message_count = message_count + $5', [added]);
      return;
    }
    case 'ConversationEnded':
      await update(tx, key, "status = 'ended'");
      return;
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** `assignments` may use `$5`, `$6`…: `$1`–`$4` are the account, id, version and time. */
function update(
  tx: Queryable,
  key: readonly unknown[],
  assignments: string,
  params: readonly unknown[] = [],
) {
  return tx.query(
    `UPDATE conversation_summaries
     SET ${assignments}, stream_version = $3, last_activity_at = $4
     WHERE account_id = $1 AND conversation_id = $2 AND stream_version < $3`,
    [...key, ...params],
  );
}
