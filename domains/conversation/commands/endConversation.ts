import { AwpError } from '../../../contracts/index.js';
import { existing } from '../conversation.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';

/** A person closes a conversation; nothing can be added to it afterwards (it can be branched). */
export interface EndConversation {
  type: 'EndConversation';
  data: { conversationId: string; reason: string | null };
}

export function endConversation(
  command: EndConversation,
  state: Conversation,
): ConversationEventOf<'ConversationEnded'>[] {
  const { conversationId } = command.data;
  if (existing(state, conversationId).status === 'ended') {
    throw new AwpError('illegal_state', `conversation '${conversationId}' has already ended`);
  }
  const reason = command.data.reason?.trim() || null;
  return [{ type: 'ConversationEnded', data: { conversationId, reason } }];
}
