import type { ReplyEvent, UnnumberedReplyEvent } from './replyEvents.js';

/**
 * Where a reply's events go while it is written, for every client that follows it: the port
 * the conversation domain owns. In one process they stay in memory (`ReplyHub`); replicas share
 * them through Redis, so a client that lost its connection resumes on any replica.
 *
 * Ids increase within a conversation and are never reused while its events are kept, so a
 * `Last-Event-ID` names one point of its stream.
 */
export interface ReplyChannels {
  /** Reserves the conversation for one reply: a second one at the same time is a conflict. */
  begin(conversationId: string): Promise<ReplyWriter>;
  /** Whether `subscribe` has anything to send: a reply kept with events the client lacks. */
  followable(conversationId: string, after: number | undefined): Promise<boolean>;
  /**
   * The conversation's reply events after `after` (a `Last-Event-ID`), live until the latest
   * reply's last event; without `after`, the latest reply from its start. Empty when there is
   * nothing to follow.
   */
  subscribe(
    conversationId: string,
    after: number | undefined,
    signal: AbortSignal,
  ): AsyncIterable<ReplyEvent>;
  /** Lets go of connections; replies still being written are the runner's to stop first. */
  close(): Promise<void>;
}

/** Writes one reply's events; `finish` or `abandon` ends it. */
export interface ReplyWriter {
  /** Adds an event and returns its id. */
  publish(event: UnnumberedReplyEvent): Promise<number>;
  /** Adds the reply's last event (`done` or `error`) and frees the conversation. */
  finish(event: UnnumberedReplyEvent): Promise<void>;
  /** Ends a reply that never started (its message could not be recorded), adding nothing. */
  abandon(): Promise<void>;
  /**
   * Aborts, with an `AwpError` as its reason, when the writer lost its hold on the
   * conversation (its claim lapsed while the channels were unreachable): another reply may
   * have begun, so this one must stop rather than record a second answer. Absent where a
   * hold cannot be lost (in memory).
   */
  readonly lost?: AbortSignal;
}
