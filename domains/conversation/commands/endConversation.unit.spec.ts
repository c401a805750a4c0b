import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test/support/deciderSpec.js';
import { conversationDecider } from '../decide.js';

const spec = deciderSpec(conversationDecider);
const started = {
  type: 'ConversationStarted' as const,
  data: {
    conversationId: 'c-1',
    userId: 'u-1',
    agentId: null,
    title: null,
    parentConversationId: null,
    branchedFromMessageId: null,
  },
};
const end = (reason: string | null) => ({
  type: 'EndConversation' as const,
  data: { conversationId: 'c-1', reason },
});

describe('EndConversation', () => {
  it('ends an open conversation, keeping the reason', () => {
    spec
      .given([started])
      .when(end('done for today'))
      .then([
        { type: 'ConversationEnded', data: { conversationId: 'c-1', reason: 'done for today' } },
      ]);
  });

  it('keeps no reason when it is blank', () => {
    spec
      .given([started])
      .when(end('  '))
      .then([{ type: 'ConversationEnded', data: { conversationId: 'c-1', reason: null } }]);
  });

  it('refuses to end a conversation twice', () => {
    spec
      .given([
        started,
        { type: 'ConversationEnded', data: { conversationId: 'c-1', reason: null } },
      ])
      .when(end(null))
      .thenFails('illegal_state', 'has already ended');
  });

  it('refuses to end a conversation that does not exist', () => {
    spec.given([]).when(end(null)).thenFails('not_found', "conversation 'c-1' does not exist");
  });
});
