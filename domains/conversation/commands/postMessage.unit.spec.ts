import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test/support/deciderSpec.js';
import { conversationDecider } from '../decide.js';

const spec = deciderSpec(conversationDecider);
const started = (parent: { conversationId: string; messageId: string } | null = null) => ({
  type: 'ConversationStarted' as const,
  data: {
    conversationId: 'c-1',
    userId: 'u-1',
    agentId: null,
    title: null,
    parentConversationId: parent?.conversationId ?? null,
    branchedFromMessageId: parent?.messageId ?? null,
  },
});
const received = (messageId: string, content: string, parentMessageId: string | null) => ({
  type: 'MessageReceived' as const,
  data: {
    conversationId: 'c-1',
    messageId,
    role: 'user' as const,
    content,
    parentMessageId,
    editsMessageId: null,
    agentId: null,
  },
});
const post = (messageId: string, content: string) => ({
  type: 'PostMessage' as const,
  data: { conversationId: 'c-1', messageId, content },
});

describe('PostMessage', () => {
  it('records the first message of a conversation without a parent', () => {
    spec
      .given([started()])
      .when(post('m-1', 'Hello'))
      .then([received('m-1', 'Hello', null)]);
  });

  it('makes a message follow the last one', () => {
    spec
      .given([started(), received('m-1', 'Hello', null)])
      .when(post('m-2', 'Anyone?'))
      .then([received('m-2', 'Anyone?', 'm-1')]);
  });

  it('makes the first message of a branch follow its branch point', () => {
    spec
      .given([started({ conversationId: 'c-0', messageId: 'm-0' })])
      .when(post('m-1', 'Instead…'))
      .then([received('m-1', 'Instead…', 'm-0')]);
  });

  it('keeps the text exactly as written, whitespace included', () => {
    spec
      .given([started()])
      .when(post('m-1', '  a: 1\n  b: 2\n'))
      .then([received('m-1', '  a: 1\n  b: 2\n', null)]);
  });

  it('refuses an empty or blank message', () => {
    spec.given([started()]).when(post('m-1', '')).thenFails('validation', 'must not be empty');
    spec.given([started()]).when(post('m-1', ' \n\t')).thenFails('validation', 'must not be empty');
  });

  it('refuses a message longer than 32000 characters', () => {
    spec
      .given([started()])
      .when(post('m-1', 'x'.repeat(32_001)))
      .thenFails('validation', 'at most 32000 characters');
  });

  it('refuses a message to a conversation that has ended', () => {
    spec
      .given([
        started(),
        { type: 'ConversationEnded', data: { conversationId: 'c-1', reason: null } },
      ])
      .when(post('m-1', 'Hello?'))
      .thenFails('illegal_state', "conversation 'c-1' has ended");
  });

  it('refuses a message to a conversation that does not exist', () => {
    spec
      .given([])
      .when(post('m-1', 'Hello'))
      .thenFails('not_found', "conversation 'c-1' does not exist");
  });
});
