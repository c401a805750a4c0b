import type { SameMembers } from '../../../contracts/api/index.js';
import type { ConversationMessage, ConversationStatus } from '../conversationViews.js';
import type { ReplyInfo } from '../replies/replyEvents.js';

/*
 * The bodies the conversation API takes and returns besides the domain's views: tsoa validates
 * requests against these types and writes them into the OpenAPI document, so their JSDoc is
 * the API's documentation. The same limits are checked again by the deciders, for the
 * WebSocket's frames.
 */

export interface NewConversation {
  /**
   * What the conversation is about; blank for none.
   * @maxLength 200 must be at most 200 characters
   */
  title?: string;
  /**
   * The agent that answers; the platform's default when absent.
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   */
  agentId?: string;
}

/** The text of a message, to post or to replace an earlier one with. */
export interface MessageContent {
  /**
   * @minLength 1 must not be empty
   * @maxLength 32000 must be at most 32000 characters
   * @pattern \S must not be only whitespace
   */
  content: string;
}

export interface NewBranch {
  /**
   * The last message the branch shares: any message of this conversation's history,
   * inherited ones included.
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   */
  fromMessageId: string;
  /**
   * The branch's title; the parent's when absent.
   * @maxLength 200 must be at most 200 characters
   */
  title?: string;
}

export interface ConversationEnding {
  /**
   * Why, for whoever reads the conversation later.
   * @maxLength 1000 must be at most 1000 characters
   */
  reason?: string;
}

/** A posted message and the assistant's reply to it, both as recorded. */
export interface PostedMessage {
  userMessage: ConversationMessage;
  assistantMessage: ConversationMessage;
  reply: ReplyInfo;
}

// An enum rather than the domain's union: tsoa then names the allowed values in its problem.
/** Conversations in this status only. */
export enum ConversationStatusFilter {
  open = 'open',
  ended = 'ended',
}

/** Compiles only while the filter lists exactly the domain's statuses. */
const _filterListsEveryStatus: SameMembers<`${ConversationStatusFilter}`, ConversationStatus> =
  true;
