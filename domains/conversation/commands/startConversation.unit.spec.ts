import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test/support/deciderSpec.js';
import { conversationDecider } from '../decide.js';

const spec = deciderSpec(conversationDecider);
const start = (title: string | null, agentId: string | null = null) => ({
  type: 'StartConversation' as const,
  data: { conversationId: 'c-1', userId: 'u-1', title, agentId },
});
const started = (title: string | null, agentId: string | null = null) => ({
  type: 'ConversationStarted' as const,
  data: {
    conversationId: 'c-1',
    userId: 'u-1',
    agentId,
    title,
    parentConversationId: null,
    branchedFromMessageId: null,
  },
});

describe('StartConversation', () => {
  it('starts a conversation with its title and agent', () => {
    spec
      .given([])
      .when(start('Order intake', 'agent-7'))
      .then([started('Order intake', 'agent-7')]);
  });

  it('trims the title, and keeps no title when it is blank', () => {
    spec
      .given([])
      .when(start('  Invoices  '))
      .then([started('Invoices')]);
    spec
      .given([])
      .when(start('   '))
      .then([started(null)]);
  });

  it('refuses a title longer than 200 characters', () => {
    spec
      .given([])
      .when(start('x'.repeat(201)))
      .thenFails('validation', "'title' must be at most 200 characters");
  });

  it('refuses to start the same conversation twice', () => {
    spec
      .given([started(null)])
      .when(start(null))
      .thenFails('conflict', "conversation 'c-1' already exists");
  });
});
