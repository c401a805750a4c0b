import { conversationTopic } from '../../../contracts/index.js';
import type {
  EventEnvelope,
  MessageReceivedData,
  Projection,
  Queryable,
} from '../../../contracts/index.js';

/**
 * `conversation_messages`, one row per message with its current text, its edit history and a
 * full-text vector (a generated column, so the text and its vector never disagree). An edit
 * updates the row it names only when its stream version is newer than the row's, so a
 * redelivered edit is not added to the history twice.
 */
export const conversationMessagesProjection: Projection = {
  name: 'conversation.messages',
  topics: [conversationTopic],
  async apply(tx, envelope) {
    if (envelope.type !== 'MessageReceived') return;
    const event = envelope as EventEnvelope<'MessageReceived', MessageReceivedData>;
    if (event.data.editsMessageId === null) await insertMessage(tx, event);
    else await applyEdit(tx, event, event.data.editsMessageId);
  },
  async reset(tx) {
    await tx.query('DELETE FROM conversation_messages');
  },
};

function insertMessage(
  tx: Queryable,
  event: EventEnvelope<'MessageReceived', MessageReceivedData>,
) {
  const { data } = event;
  return tx.query(
    `INSERT INTO conversation_messages (account_id, conversation_id, message_id, role, content,
       parent_message_id, agent_id, created_at, updated_at, stream_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)
     ON CONFLICT (account_id, conversation_id, message_id) DO NOTHING`,
    [
      event.accountId,
      data.conversationId,
      data.messageId,
      data.role,
      data.content,
      data.parentMessageId,
      data.agentId,
      event.occurredAt,
      event.streamVersion,
    ],
  );
}

function applyEdit(
  tx: Queryable,
  event: EventEnvelope<'MessageReceived', MessageReceivedData>,
  target: string,
) {
  // On the right of SET, `content` is still the text being replaced.
  return tx.query(
    `UPDATE conversation_messages
     SET content = $4, edited = true, updated_at = $5, stream_version = $6,
         edit_history = edit_history || jsonb_build_array(jsonb_build_object(
           'editId', $7::text, 'content', content, 'replacedAt', $8::text))
     WHERE account_id = $1 AND conversation_id = $2 AND message_id = $3 AND stream_version < $6`,
    [
      event.accountId,
      event.data.conversationId,
      target,
      event.data.content,
      event.occurredAt,
      event.streamVersion,
      event.data.messageId,
      // The ISO text as the event has it: `$5` is read as a timestamptz, which prints otherwise.
      event.occurredAt,
    ],
  );
}
