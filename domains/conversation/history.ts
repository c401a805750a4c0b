import type { ExistingConversation } from './conversation.js';
import { messageView } from './conversationViews.js';
import type { ConversationMessage } from './conversationViews.js';

/**
 * Pure: the history of the last conversation of `lineage`, which runs from the root to it, each
 * one branched from the one before. A branch shares its parent's history up to and including
 * the message it branched from (which may itself be inherited), then has its own messages.
 * Inherited messages show their current text: an edit in the parent after the branch shows too.
 */
export function historyOf(lineage: readonly ExistingConversation[]): ConversationMessage[] {
  const target = lineage.at(-1)?.conversationId;
  let history: ConversationMessage[] = [];
  for (const conversation of lineage) {
    if (conversation.parent) {
      const { messageId } = conversation.parent;
      const cut = history.findIndex((message) => message.messageId === messageId);
      history = cut === -1 ? history : history.slice(0, cut + 1);
    }
    const own = conversation.messages.map((m) => messageView(conversation.conversationId, m));
    history = [...history, ...own];
  }
  return history.map((message) => ({
    ...message,
    inherited: message.conversationId !== target,
  }));
}
