import { lastMessageId, open } from '../conversation.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';
import { checkedContent, maxPostedContentLength } from './messageRules.js';

/** A person writes in a conversation; the message follows the conversation's last one. */
export interface PostMessage {
  type: 'PostMessage';
  data: { conversationId: string; messageId: string; content: string };
}

export function postMessage(
  command: PostMessage,
  state: Conversation,
): ConversationEventOf<'MessageReceived'>[] {
  const { conversationId, messageId, content } = command.data;
  const conversation = open(state, conversationId);
  return [
    {
      type: 'MessageReceived',
      data: {
        conversationId,
        messageId,
        role: 'user',
        content: checkedContent(content, maxPostedContentLength),
        parentMessageId: lastMessageId(conversation),
        editsMessageId: null,
        agentId: null,
      },
    },
  ];
}
