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
const message = (
  messageId: string,
  content: string,
  extra: Partial<{
    role: 'user' | 'assistant';
    editsMessageId: string;
    parentMessageId: string;
  }> = {},
) => ({
  type: 'MessageReceived' as const,
  data: {
    conversationId: 'c-1',
    messageId,
    role: extra.role ?? ('user' as const),
    content,
    parentMessageId: extra.parentMessageId ?? null,
    editsMessageId: extra.editsMessageId ?? null,
    agentId: null,
  },
});
const edit = (messageId: string, content: string, editId = 'e-1') => ({
  type: 'EditMessage' as const,
  data: { conversationId: 'c-1', messageId, editId, content },
});

describe('EditMessage', () => {
  it('records the new text as a message that names the one it edits', () => {
    spec
      .given([started, message('m-1', 'Helo')])
      .when(edit('m-1', 'Hello'))
      .then([message('e-1', 'Hello', { editsMessageId: 'm-1' })]);
  });

  it('keeps the edited message in its place in the thread', () => {
    spec
      .given([started, message('m-1', 'Hi'), message('m-2', 'Helo', { parentMessageId: 'm-1' })])
      .when(edit('m-2', 'Hello'))
      .then([message('e-1', 'Hello', { editsMessageId: 'm-2', parentMessageId: 'm-1' })]);
  });

  it('compares with the latest text: a second edit back to the original is a change', () => {
    spec
      .given([started, message('m-1', 'A'), message('e-1', 'B', { editsMessageId: 'm-1' })])
      .when(edit('m-1', 'A', 'e-2'))
      .then([message('e-2', 'A', { editsMessageId: 'm-1' })]);
  });

  it('changes nothing when the text is the same (PUT may be repeated)', () => {
    spec
      .given([started, message('m-1', 'A'), message('e-1', 'B', { editsMessageId: 'm-1' })])
      .when(edit('m-1', 'B', 'e-2'))
      .then([]);
  });

  it('refuses to edit an assistant message', () => {
    spec
      .given([started, message('m-1', 'Sure.', { role: 'assistant' })])
      .when(edit('m-1', 'No.'))
      .thenFails('illegal_state', 'only user messages can be edited');
  });

  it('refuses to edit a message the conversation does not have', () => {
    spec
      .given([started, message('m-1', 'A')])
      .when(edit('m-9', 'B'))
      .thenFails('not_found', "message 'm-9' is not in conversation 'c-1'");
  });

  it('refuses a blank edit and an edit of an ended conversation', () => {
    spec
      .given([started, message('m-1', 'A')])
      .when(edit('m-1', ' '))
      .thenFails('validation');
    spec
      .given([
        started,
        message('m-1', 'A'),
        { type: 'ConversationEnded', data: { conversationId: 'c-1', reason: null } },
      ])
      .when(edit('m-1', 'B'))
      .thenFails('illegal_state', 'has ended');
  });
});
