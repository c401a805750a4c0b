import type { Actor } from '../../../contracts/index.js';

/** A conversation turn as the conversation domain hands it over. */
export interface ReplyTurn {
  messageId: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
}

export interface ReplyRequest {
  accountId: string;
  conversationId: string;
  userMessageId: string;
  agentId?: string;
  /** The conversation so far, oldest first, ending with the user's new message. */
  history: readonly ReplyTurn[];
  actor: Actor;
  correlationId: string;
  signal?: AbortSignal;
}

export type ReplyChunk =
  | { type: 'token'; text: string }
  | {
      type: 'final';
      content: string;
      model: string;
      provider: string;
      inputTokens: number;
      outputTokens: number;
      metadata: Record<string, unknown>;
    };

/** The names of the tenant's secrets (never values): what a generated workflow may reference. */
export interface TenantSecretNames {
  names(accountId: string): Promise<readonly string[]>;
}
