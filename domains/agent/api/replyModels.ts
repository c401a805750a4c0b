/*
 * The body of `POST /v1/agent-replies`: a conversation turn as a conversation service in another
 * process hands it to the agent. tsoa validates it against these types and documents them.
 */

/** One message of the conversation, oldest first. */
export interface ReplyTurnBody {
  /** @maxLength 100 must be at most 100 characters */
  messageId: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  /**
   * As recorded: users post at most 32,000 characters, assistant and tool messages may be
   * longer.
   * @maxLength 200000 must be at most 200000 characters
   */
  content: string;
}

/** The turn to answer: the conversation so far, ending with the message being answered. */
export interface ReplyRequestBody {
  /** @maxLength 100 must be at most 100 characters */
  conversationId: string;
  /**
   * The message being answered: the last entry of `history`.
   * @maxLength 100 must be at most 100 characters
   */
  userMessageId: string;
  /**
   * The conversation's agent; absent for the tenant's default agent.
   * @maxLength 100 must be at most 100 characters
   */
  agentId?: string;
  /**
   * @minItems 1 must hold at least the message being answered
   * @maxItems 10000 must hold at most 10000 messages
   */
  history: ReplyTurnBody[];
}
