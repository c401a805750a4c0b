import type { AwpError } from '../../../contracts/index.js';
import type { ConversationMessage } from '../conversationViews.js';

/** How a reply was written, as far as the assistant said (null where it did not). */
export interface ReplyInfo {
  agentId: string | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Anything the client needs beside the text, e.g. the id of a workflow draft. */
  metadata: { [key: string]: unknown };
}

/** A finished reply: the assistant message as recorded, and how it was written. */
export interface ReplyDone {
  message: ConversationMessage;
  reply: ReplyInfo;
}

/**
 * What a client following a reply receives, SSE or WebSocket alike: the recorded user message,
 * the reply's tokens as they come, then `done` or `error`. `id` increases; a client resumes
 * after the last one it received. An `error` without an id is about the stream itself (the
 * resume point is gone, a frame was invalid), not about the reply.
 */
export type ReplyEvent =
  | { id: string; event: 'message'; data: ConversationMessage }
  | { id: string; event: 'token'; data: { text: string } }
  | { id: string; event: 'done'; data: ReplyDone }
  | { id?: string; event: 'error'; data: AwpError };

/** Distributes over a union, where a plain `Omit` would merge its members. */
type WithoutId<Event> = Event extends unknown ? Omit<Event, 'id'> : never;

/** A reply event before the hub numbers it. */
export type UnnumberedReplyEvent = WithoutId<ReplyEvent>;
