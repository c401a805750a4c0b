import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test/support/deciderSpec.js';
import { conversationDecider } from '../decide.js';

const spec = deciderSpec(conversationDecider);
const branch = (fromMessageId: string, title: string | null = 'Plan B') => ({
  type: 'BranchConversation' as const,
  data: {
    conversationId: 'c-2',
    userId: 'u-1',
    title,
    agentId: 'agent-7',
    parentConversationId: 'c-1',
    fromMessageId,
    parentMessageIds: ['m-0', 'm-1', 'm-2'],
  },
});

describe('BranchConversation', () => {
  it('starts a conversation naming its parent and the message it branches from', () => {
    spec
      .given([])
      .when(branch('m-1'))
      .then([
        {
          type: 'ConversationStarted',
          data: {
            conversationId: 'c-2',
            userId: 'u-1',
            agentId: 'agent-7',
            title: 'Plan B',
            parentConversationId: 'c-1',
            branchedFromMessageId: 'm-1',
          },
        },
      ]);
  });

  it('branches from a message the parent itself inherited', () => {
    spec
      .given([])
      .when(branch('m-0', null))
      .then([
        {
          type: 'ConversationStarted',
          data: {
            conversationId: 'c-2',
            userId: 'u-1',
            agentId: 'agent-7',
            title: null,
            parentConversationId: 'c-1',
            branchedFromMessageId: 'm-0',
          },
        },
      ]);
  });

  it("refuses a message that is not in the parent's history", () => {
    spec
      .given([])
      .when(branch('m-9'))
      .thenFails('not_found', "message 'm-9' is not in conversation 'c-1'");
  });
});
