import type { SameMembers } from '../../contracts/api/index.js';
import type { MessageRole } from '../../contracts/index.js';
import type { ExistingConversation, MessageEdit, RecordedMessage } from './conversation.js';

/*
 * What the API returns about conversations and messages. tsoa writes these types into the
 * OpenAPI document, so their JSDoc is the API's documentation.
 */

/** Who wrote a message. */
export type ConversationRole = 'user' | 'assistant' | 'system' | 'tool';

/** Compiles only while the API's roles are exactly the event schema's. */
const _rolesMatchEvents: SameMembers<ConversationRole, MessageRole> = true;

/** An earlier text of a message, replaced by an edit. */
export interface MessageRevision {
  /** The id of the edit that replaced this text. */
  editId: string;
  content: string;
  replacedAt: string;
}

export interface ConversationMessage {
  messageId: string;
  /** The conversation it was written in: a branch's inherited messages name their own. */
  conversationId: string;
  role: ConversationRole;
  /** The current text (the latest edit's). */
  content: string;
  /** The message this one follows or answers. */
  parentMessageId: string | null;
  /** For assistant messages: the agent that wrote it. */
  agentId: string | null;
  edited: boolean;
  /** Earlier texts, oldest first. */
  editHistory: MessageRevision[];
  /** True when it belongs to a conversation this one branched from. */
  inherited: boolean;
  createdAt: string;
}

export type ConversationStatus = 'open' | 'ended';

/** A conversation as lists show it. */
export interface ConversationSummary {
  conversationId: string;
  title: string | null;
  status: ConversationStatus;
  agentId: string | null;
  /** For a branch: the conversation it branched from, and the last message it shares. */
  parentConversationId: string | null;
  branchedFromMessageId: string | null;
  createdAt: string;
  lastActivityAt: string;
  /** Messages written in this conversation (not inherited ones; edits do not count). */
  messageCount: number;
}

/** A conversation with its whole history: for a branch, the inherited messages come first. */
export interface ConversationDetails extends ConversationSummary {
  messages: ConversationMessage[];
}

const revisionsOf = (edits: readonly MessageEdit[]): MessageRevision[] =>
  edits.map(({ editId, content, replacedAt }) => ({ editId, content, replacedAt }));

/** Pure: the API's view of a message recorded in `conversationId`. */
export function messageView(
  conversationId: string,
  message: RecordedMessage,
  inherited = false,
): ConversationMessage {
  return {
    messageId: message.messageId,
    conversationId,
    role: message.role,
    content: message.content,
    parentMessageId: message.parentMessageId,
    agentId: message.agentId,
    edited: message.edits.length > 0,
    editHistory: revisionsOf(message.edits),
    inherited,
    createdAt: message.createdAt,
  };
}

/** Pure: a conversation's summary from its state. */
export function summaryView(conversation: ExistingConversation): ConversationSummary {
  return {
    conversationId: conversation.conversationId,
    title: conversation.title,
    status: conversation.status,
    agentId: conversation.agentId,
    parentConversationId: conversation.parent?.conversationId ?? null,
    branchedFromMessageId: conversation.parent?.messageId ?? null,
    createdAt: conversation.createdAt,
    lastActivityAt: conversation.lastActivityAt,
    messageCount: conversation.messages.length,
  };
}
