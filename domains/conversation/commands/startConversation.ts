import { AwpError } from '../../../contracts/index.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';
import { checkedTitle } from './messageRules.js';

/** A person opens a new conversation, optionally with a given agent. */
export interface StartConversation {
  type: 'StartConversation';
  data: { conversationId: string; userId: string; title: string | null; agentId: string | null };
}

export function startConversation(
  command: StartConversation,
  state: Conversation,
): ConversationEventOf<'ConversationStarted'>[] {
  const { conversationId, userId, agentId } = command.data;
  if (state.status !== 'absent') {
    throw new AwpError('conflict', `conversation '${conversationId}' already exists`);
  }
  return [
    {
      type: 'ConversationStarted',
      data: {
        conversationId,
        userId,
        agentId,
        title: checkedTitle(command.data.title),
        parentConversationId: null,
        branchedFromMessageId: null,
      },
    },
  ];
}
