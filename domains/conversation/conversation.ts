import { AwpError } from '../../contracts/index.js';
import type { ConversationEvent, EventEnvelope, MessageRole } from '../../contracts/index.js';

/** One earlier text of a message, replaced by an edit (the log keeps every version). */
export interface MessageEdit {
  /** The id of the MessageReceived that replaced this text. */
  editId: string;
  content: string;
  replacedAt: string;
}

/** A message written in this conversation (not one it inherited from the one it branched from). */
export interface RecordedMessage {
  messageId: string;
  role: MessageRole;
  /** The current text: the latest edit's, or the original. */
  content: string;
  parentMessageId: string | null;
  agentId: string | null;
  createdAt: string;
  /** Earlier texts, oldest first; empty when never edited. */
  edits: MessageEdit[];
}

/** Where a branch starts: the parent conversation and its last message the branch shares. */
export interface BranchPoint {
  conversationId: string;
  messageId: string;
}

/** A conversation that exists, as its stream `conversation-<id>` says it is. */
export interface ExistingConversation {
  status: 'open' | 'ended';
  conversationId: string;
  title: string | null;
  agentId: string | null;
  startedBy: string;
  parent: BranchPoint | null;
  /** Its own messages in the order they were written (edits change them in place). */
  messages: RecordedMessage[];
  createdAt: string;
  lastActivityAt: string;
}

export type Conversation = { status: 'absent' } | ExistingConversation;

/** One event of a conversation's stream, by type. */
export type ConversationEventOf<Type extends ConversationEvent['type']> = Extract<
  ConversationEvent,
  { type: Type }
>;

export const initialConversation = (): Conversation => ({ status: 'absent' });

/** Stream of one conversation. */
export const conversationStreamId = (conversationId: string): string =>
  `conversation-${conversationId}`;

/** Deciders fold bare events; the store's envelopes also say when they happened. */
const occurredAtOf = (event: ConversationEvent): string =>
  (event as Partial<EventEnvelope>).occurredAt ?? '';

export function evolveConversation(state: Conversation, event: ConversationEvent): Conversation {
  const at = occurredAtOf(event);
  if (event.type === 'ConversationStarted') {
    const { data } = event;
    return {
      status: 'open',
      conversationId: data.conversationId,
      title: data.title,
      agentId: data.agentId,
      startedBy: data.userId,
      parent:
        data.parentConversationId !== null && data.branchedFromMessageId !== null
          ? { conversationId: data.parentConversationId, messageId: data.branchedFromMessageId }
          : null,
      messages: [],
      createdAt: at,
      lastActivityAt: at,
    };
  }
  // The decider never emits anything before ConversationStarted.
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'MessageReceived': {
      const { data } = event;
      if (data.editsMessageId !== null) {
        const target = data.editsMessageId;
        const messages = state.messages.map((message) =>
          message.messageId === target
            ? {
                ...message,
                content: data.content,
                edits: [
                  ...message.edits,
                  { editId: data.messageId, content: message.content, replacedAt: at },
                ],
              }
            : message,
        );
        return { ...state, messages, lastActivityAt: at };
      }
      const message: RecordedMessage = {
        messageId: data.messageId,
        role: data.role,
        content: data.content,
        parentMessageId: data.parentMessageId,
        agentId: data.agentId,
        createdAt: at,
        edits: [],
      };
      return { ...state, messages: [...state.messages, message], lastActivityAt: at };
    }
    case 'ConversationEnded':
      return { ...state, status: 'ended', lastActivityAt: at };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** Refuses a command addressed to a conversation that does not exist (in the caller's account). */
export function existing(state: Conversation, conversationId: string): ExistingConversation {
  if (state.status === 'absent') {
    throw new AwpError('not_found', `conversation '${conversationId}' does not exist`);
  }
  return state;
}

/** Refuses a command that would add to a conversation that has ended. */
export function open(state: Conversation, conversationId: string): ExistingConversation {
  const conversation = existing(state, conversationId);
  if (conversation.status === 'ended') {
    throw new AwpError(
      'illegal_state',
      `conversation '${conversationId}' has ended: branch it to continue`,
    );
  }
  return conversation;
}

/** One of the conversation's own messages, or `not_found` naming both. */
export function ownMessage(conversation: ExistingConversation, messageId: string): RecordedMessage {
  const found = conversation.messages.find((message) => message.messageId === messageId);
  if (!found) {
    throw new AwpError(
      'not_found',
      `message '${messageId}' is not in conversation '${conversation.conversationId}'`,
    );
  }
  return found;
}

/** The message a new one follows: its last own message, or the branch point of a fresh branch. */
export function lastMessageId(conversation: ExistingConversation): string | null {
  return conversation.messages.at(-1)?.messageId ?? conversation.parent?.messageId ?? null;
}
