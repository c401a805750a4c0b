/** Who caused an event: a user, an API key or the platform itself. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string;
}

/** Metadata every event carries (ARCHITECTURE.md, "The event flow"). */
export interface EventMetadata {
  accountId: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
}

/** An event as stored and published: the common envelope around a typed payload. */
export interface EventEnvelope<Type extends string = string, Data = unknown> extends EventMetadata {
  /** UUIDv7, unique across the platform; consumers dedupe by it. */
  eventId: string;
  type: Type;
  streamId: string;
  /** 1-based position of the event inside its stream. */
  streamVersion: number;
  /** ISO-8601 instant. */
  occurredAt: string;
  schemaVersion: number;
  data: Data;
}

/** An event a decider produced, before the store gives it an id, a version and a time. */
export interface PendingEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  schemaVersion?: number;
}
