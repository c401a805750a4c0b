import type { EventEnvelope, EventMetadata, PendingEvent } from '../envelope.js';

/** `no_stream`: the stream must not exist yet; a number: its current version; `any`: no check. */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** A value that must be unique within a scope (e.g. a tenant name), reserved with the append. */
export interface UniqueKey {
  scope: string;
  value: string;
  /** What a caller reads when the value is taken, e.g. "a tenant named 'Acme' already exists". */
  takenMessage: string;
}

/**
 * A row the appending domain keeps beside its events, written in the same transaction: state
 * that must not travel in an event (a secret's ciphertext) yet must change exactly when the
 * event that records the change is stored. One statement against the domain's own table.
 */
export interface StateWrite {
  sql: string;
  params: readonly unknown[];
}

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: readonly PendingEvent[];
  metadata: EventMetadata;
  /** Topic the outbox relay publishes these events to, e.g. `awp.platform.events`. */
  topic: string;
  uniqueKeys?: readonly UniqueKey[];
  /** Run after the events and unique keys, in their transaction; a failure undoes the append. */
  alongside?: readonly StateWrite[];
}

export interface AppendResult {
  nextVersion: number;
  events: EventEnvelope[];
}

/**
 * Where a reader of the global log stands: the last event it read, by (transaction id,
 * position). Positions alone are not enough: a slower transaction can commit a lower position
 * after a higher one was read.
 */
export interface GlobalCursor {
  transactionId: string;
  position: string;
}

export const startOfLog: GlobalCursor = { transactionId: '0', position: '0' };

/** An event as the global log returns it: with its place in the log. */
export interface LoggedEvent extends EventEnvelope {
  globalPosition: string;
  transactionId: string;
  /** The topic the event was published to (`awp.<domain>.events`). */
  topic: string;
}

/** Narrows a read of the global log; every given condition must hold. */
export interface LogFilter {
  accountId?: string;
  types?: readonly string[];
  topics?: readonly string[];
  streamId?: string;
  /** ISO-8601, inclusive. */
  from?: string;
  /** ISO-8601, exclusive. */
  to?: string;
  /** Only events at or below this global position. */
  toPosition?: string;
}

export interface LogPage {
  events: LoggedEvent[];
  /**
   * Pass back as `after` to continue. Unfiltered, it equals `after` when nothing new was
   * readable; filtered, it may move past events that did not match.
   */
  next: GlobalCursor;
}

export interface EventStore {
  /**
   * Appends atomically with the outbox rows and unique-key reservations. Throws
   * `StreamVersionConflict` on a version mismatch and an `AwpError('conflict')` naming the
   * scope when a unique key is taken.
   */
  append(request: AppendRequest): Promise<AppendResult>;
  readStream(streamId: string): Promise<EventEnvelope[]>;
  /**
   * Every committed event after `after`, in (transaction id, position) order, never skipping
   * one: only transactions below the snapshot horizon (all finished) are read, so an event still
   * being committed is waited for, not passed over.
   */
  readAll(after: GlobalCursor, limit: number, filter?: LogFilter): Promise<LogPage>;
  /** Committed events the reader at `after` has not read yet, including those held back. */
  lagBehind(after: GlobalCursor, filter?: LogFilter): Promise<number>;
  /** The highest global position committed so far ('0' for an empty log). */
  headPosition(): Promise<string>;
  /** A cursor past every event readable now: a reader starting there sees only later commits. */
  horizonCursor(): Promise<GlobalCursor>;
}
