import { AwpError } from '../../../contracts/index.js';
import type { Actor } from '../../../contracts/index.js';
import type { CallerCredentials } from '../conversations.js';
import type { ConversationRole } from '../conversationViews.js';

/** One message of the history a reply is written from, oldest first. */
export interface ReplyHistoryEntry {
  messageId: string;
  role: ConversationRole;
  content: string;
}

/** What the conversation domain asks of whoever writes assistant replies. */
export interface AssistantReplyRequest {
  accountId: string;
  conversationId: string;
  /** The message being answered: the last entry of `history`. */
  userMessageId: string;
  /** The conversation's agent; absent when it names none (the implementation picks one). */
  agentId?: string;
  /** The conversation's history with the branch's inherited messages first, edits applied. */
  history: readonly ReplyHistoryEntry[];
  actor: Actor;
  correlationId: string;
  /** The poster's credential, for an assistant in another process to act with. */
  credentials?: CallerCredentials;
  /** Aborted when the reply times out or the platform stops; never when a client disconnects. */
  signal: AbortSignal;
}

/** A piece of the reply as it is written, then the whole of it. */
export type ReplyChunk =
  | { type: 'token'; text: string }
  | {
      type: 'final';
      /** The complete reply, recorded as the assistant message (the tokens are not). */
      content: string;
      /** The agent that wrote it, when the request named none. */
      agentId?: string;
      model?: string;
      provider?: string;
      inputTokens?: number;
      outputTokens?: number;
      /** Anything the client needs beside the text, e.g. the id of a workflow draft. */
      metadata?: Record<string, unknown>;
    };

export type FinalReplyChunk = Extract<ReplyChunk, { type: 'final' }>;

/**
 * The assistant reply port, owned by this domain: the host binds it to the agent domain.
 * `reply` yields any number of tokens and then one `final` chunk; whatever it yields after the
 * final chunk is ignored. Failing (throwing, or ending without a final chunk) fails the reply;
 * an `AwpError` says why to the client, anything else is an internal error.
 */
export interface AssistantReplies {
  reply(request: AssistantReplyRequest): AsyncIterable<ReplyChunk>;
}

/** The binding of a platform without an assistant: messages are recorded, replies fail. */
export const noAssistantReplies: AssistantReplies = {
  reply() {
    throw new AwpError(
      'unavailable',
      'no assistant is configured on this platform: the message was recorded, but nobody can reply to it',
    );
  },
};
