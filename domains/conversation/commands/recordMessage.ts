import { AwpError } from '../../../contracts/index.js';
import { open, ownMessage } from '../conversation.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';
import { checkedContent, maxRecordedContentLength } from './messageRules.js';

/**
 * The platform records a message it did not take from a person: an assistant's reply, a tool's
 * result, a system notice. The reply orchestration uses it once a reply is complete.
 */
export interface RecordMessage {
  type: 'RecordMessage';
  data: {
    conversationId: string;
    messageId: string;
    role: 'assistant' | 'system' | 'tool';
    content: string;
    /** The message this one answers; it must be in the conversation (or be its branch point). */
    parentMessageId: string | null;
    agentId: string | null;
  };
}

export function recordMessage(
  command: RecordMessage,
  state: Conversation,
): ConversationEventOf<'MessageReceived'>[] {
  const { conversationId, messageId, role, content, parentMessageId, agentId } = command.data;
  const conversation = open(state, conversationId);
  if (parentMessageId !== null && parentMessageId !== conversation.parent?.messageId) {
    ownMessage(conversation, parentMessageId);
  }
  if (agentId !== null && role !== 'assistant') {
    throw new AwpError('validation', `only assistant messages name an agent, not ${role} ones`, {
      field: 'agentId',
    });
  }
  return [
    {
      type: 'MessageReceived',
      data: {
        conversationId,
        messageId,
        role,
        content: checkedContent(content, maxRecordedContentLength),
        parentMessageId,
        editsMessageId: null,
        agentId,
      },
    },
  ];
}
