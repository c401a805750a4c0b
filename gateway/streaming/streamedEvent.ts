import { problemFor } from '../problemDetails.js';

/**
 * One event of a live stream, as both Server-Sent Events and WebSocket frames carry it. By the
 * platform's convention an `error` event's data is the error itself: the transport writes it as
 * problem+json with the same one table as every HTTP error.
 */
export interface StreamedEvent {
  /** Increasing within the stream: what a client resumes after. Absent for stream-level errors. */
  id?: string;
  event: string;
  data: unknown;
}

/** The data as it goes on the wire. */
export function wireData(event: StreamedEvent): unknown {
  return event.event === 'error' ? problemFor(event.data) : event.data;
}
