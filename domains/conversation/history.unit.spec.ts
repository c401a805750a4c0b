import { describe, expect, it } from 'vitest';
import type { ExistingConversation, RecordedMessage } from './conversation.js';
import { historyOf } from './history.js';

const message = (messageId: string, content = messageId): RecordedMessage => ({
  messageId,
  role: 'user',
  content,
  parentMessageId: null,
  agentId: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  edits: [],
});
const conversation = (
  conversationId: string,
  messages: RecordedMessage[],
  parent: { conversationId: string; messageId: string } | null = null,
): ExistingConversation => ({
  status: 'open',
  conversationId,
  title: null,
  agentId: null,
  startedBy: 'u-1',
  parent,
  messages,
  createdAt: '2026-12-01T10:00:00.000Z',
  lastActivityAt: '2026-12-01T10:00:00.000Z',
});

const root = conversation('root', [message('r1'), message('r2'), message('r3')]);

describe('the history of a conversation', () => {
  it('is its own messages when it is not a branch', () => {
    expect(historyOf([root]).map((m) => [m.messageId, m.inherited])).toEqual([
      ['r1', false],
      ['r2', false],
      ['r3', false],
    ]);
  });

  it("of a branch is the parent's up to and including the branch point, then its own", () => {
    const branch = conversation('b', [message('b1')], { conversationId: 'root', messageId: 'r2' });
    expect(
      historyOf([root, branch]).map((m) => [m.messageId, m.conversationId, m.inherited]),
    ).toEqual([
      ['r1', 'root', true],
      ['r2', 'root', true],
      ['b1', 'b', false],
    ]);
  });

  it('follows branches of branches, from messages the middle one inherited', () => {
    const middle = conversation('m', [message('m1')], { conversationId: 'root', messageId: 'r3' });
    const leaf = conversation('l', [message('l1')], { conversationId: 'm', messageId: 'r1' });
    expect(historyOf([root, middle, leaf]).map((m) => m.messageId)).toEqual(['r1', 'l1']);
  });

  it('shows the current text of an edited message with its earlier ones', () => {
    const edited: RecordedMessage = {
      ...message('r1', 'Hello'),
      edits: [{ editId: 'e1', content: 'Helo', replacedAt: '2026-12-01T10:01:00.000Z' }],
    };
    const [view] = historyOf([conversation('c', [edited])]);
    expect(view).toMatchObject({
      content: 'Hello',
      edited: true,
      editHistory: [{ editId: 'e1', content: 'Helo', replacedAt: '2026-12-01T10:01:00.000Z' }],
    });
  });
});
