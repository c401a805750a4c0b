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

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: readonly PendingEvent[];
  metadata: EventMetadata;
  /** Topic the outbox relay publishes these events to, e.g. `awp.platform.events`. */
  topic: string;
  uniqueKeys?: readonly UniqueKey[];
}

export interface AppendResult {
  nextVersion: number;
  events: EventEnvelope[];
}

export interface EventStore {
  /**
   * Appends atomically with the outbox rows and unique-key reservations. Throws
   * `StreamVersionConflict` on a version mismatch and an `AwpError('conflict')` naming the
   * scope when a unique key is taken.
   */
  append(request: AppendRequest): Promise<AppendResult>;
  readStream(streamId: string): Promise<EventEnvelope[]>;
}
