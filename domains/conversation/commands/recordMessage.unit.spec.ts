import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test/support/deciderSpec.js';
import { conversationDecider } from '../decide.js';

const spec = deciderSpec(conversationDecider);
const started = {
  type: 'ConversationStarted' as const,
  data: {
    conversationId: 'c-1',
    userId: 'u-1',
    agentId: 'agent-7',
    title: null,
    parentConversationId: null,
    branchedFromMessageId: null,
  },
};
const asked = {
  type: 'MessageReceived' as const,
  data: {
    conversationId: 'c-1',
    messageId: 'm-1',
    role: 'user' as const,
    content: 'Draft an order intake workflow',
    parentMessageId: null,
    editsMessageId: null,
    agentId: null,
  },
};
const record = (
  overrides: Partial<{ role: 'assistant' | 'tool' | 'system'; parentMessageId: string | null }> & {
    agentId?: string | null;
    content?: string;
  } = {},
) => ({
  type: 'RecordMessage' as const,
  data: {
    conversationId: 'c-1',
    messageId: 'm-2',
    role: overrides.role ?? ('assistant' as const),
    content: overrides.content ?? 'Here is a draft.',
    parentMessageId: overrides.parentMessageId === undefined ? 'm-1' : overrides.parentMessageId,
    agentId: overrides.agentId === undefined ? 'agent-7' : overrides.agentId,
  },
});

describe('RecordMessage', () => {
  it("records an assistant's reply to a user message, naming the agent", () => {
    spec
      .given([started, asked])
      .when(record())
      .then([
        {
          type: 'MessageReceived',
          data: {
            conversationId: 'c-1',
            messageId: 'm-2',
            role: 'assistant',
            content: 'Here is a draft.',
            parentMessageId: 'm-1',
            editsMessageId: null,
            agentId: 'agent-7',
          },
        },
      ]);
  });

  it('records a long reply that a person could not post (a generated workflow)', () => {
    const content = 'do:\n'.repeat(20_000);
    spec
      .given([started, asked])
      .when(record({ content }))
      .then([
        {
          type: 'MessageReceived',
          data: {
            conversationId: 'c-1',
            messageId: 'm-2',
            role: 'assistant',
            content,
            parentMessageId: 'm-1',
            editsMessageId: null,
            agentId: 'agent-7',
          },
        },
      ]);
  });

  it('refuses a reply to a message the conversation does not have', () => {
    spec
      .given([started, asked])
      .when(record({ parentMessageId: 'm-9' }))
      .thenFails('not_found', "message 'm-9' is not in conversation 'c-1'");
  });

  it('refuses an agent on a tool or system message', () => {
    spec
      .given([started, asked])
      .when(record({ role: 'tool' }))
      .thenFails('validation', 'agent');
  });

  it('refuses an empty reply', () => {
    spec
      .given([started, asked])
      .when(record({ content: '  ' }))
      .thenFails('validation', 'empty');
  });

  it('refuses to record into a conversation that has ended meanwhile', () => {
    spec
      .given([
        started,
        asked,
        { type: 'ConversationEnded', data: { conversationId: 'c-1', reason: null } },
      ])
      .when(record())
      .thenFails('illegal_state', 'has ended');
  });
});
