import { AwpError } from '../../../contracts/index.js';
import { open, ownMessage } from '../conversation.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';
import { checkedContent, maxPostedContentLength } from './messageRules.js';

/**
 * A person rewrites one of their messages. The edit is a new MessageReceived naming the message
 * it replaces, so the earlier text stays in the log as the message's edit history.
 */
export interface EditMessage {
  type: 'EditMessage';
  data: { conversationId: string; messageId: string; editId: string; content: string };
}

/**
 * The same text again changes nothing and is not an error: the HTTP verb is PUT, which a client
 * may repeat (after a timeout, say) and must get the same answer.
 */
export function editMessage(
  command: EditMessage,
  state: Conversation,
): ConversationEventOf<'MessageReceived'>[] {
  const { conversationId, messageId, editId, content } = command.data;
  const message = ownMessage(open(state, conversationId), messageId);
  if (message.role !== 'user') {
    throw new AwpError(
      'illegal_state',
      `message '${messageId}' was written by the ${message.role}; only user messages can be edited`,
    );
  }
  if (checkedContent(content, maxPostedContentLength) === message.content) return [];
  return [
    {
      type: 'MessageReceived',
      data: {
        conversationId,
        messageId: editId,
        role: message.role,
        content,
        parentMessageId: message.parentMessageId,
        editsMessageId: messageId,
        agentId: null,
      },
    },
  ];
}
