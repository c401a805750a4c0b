import { AwpError } from '../../../contracts/index.js';
import type { Conversation, ConversationEventOf } from '../conversation.js';
import { checkedTitle } from './messageRules.js';

/**
 * A new conversation that shares another's history up to and including one of its messages,
 * then goes its own way. The parent's history (its own messages and those it inherited) is
 * read by the caller and handed in, so this decision stays pure.
 */
export interface BranchConversation {
  type: 'BranchConversation';
  data: {
    conversationId: string;
    userId: string;
    title: string | null;
    agentId: string | null;
    parentConversationId: string;
    fromMessageId: string;
    /** Every message the parent's history holds, inherited ones included. */
    parentMessageIds: readonly string[];
  };
}

export function branchConversation(
  command: BranchConversation,
  state: Conversation,
): ConversationEventOf<'ConversationStarted'>[] {
  const { conversationId, userId, agentId, parentConversationId, fromMessageId } = command.data;
  if (state.status !== 'absent') {
    throw new AwpError('conflict', `conversation '${conversationId}' already exists`);
  }
  if (!command.data.parentMessageIds.includes(fromMessageId)) {
    throw new AwpError(
      'not_found',
      `message '${fromMessageId}' is not in conversation '${parentConversationId}'`,
      { field: 'fromMessageId' },
    );
  }
  return [
    {
      type: 'ConversationStarted',
      data: {
        conversationId,
        userId,
        agentId,
        title: checkedTitle(command.data.title),
        parentConversationId,
        branchedFromMessageId: fromMessageId,
      },
    },
  ];
}
