import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '../../../contracts/index.js';

/** Events after which an execution's stream never grows again. */
const terminalTypes = new Set(['WorkflowCompleted', 'WorkflowFailed', 'ExecutionCancelled']);

export interface ExecutionEventStreamOptions {
  /** The execution's events in stream order (the whole stream: the port has no offset read). */
  readEvents(): Promise<EventEnvelope[]>;
  /** Send only events after this stream version (`Last-Event-ID`); 0 for all. */
  after: number;
  pollMs: number;
  heartbeatMs: number;
}

/** One Server-Sent Events message; the data is one line because JSON.stringify adds no newlines. */
function sseMessage(event: EventEnvelope): string {
  const data = {
    type: event.type,
    streamVersion: event.streamVersion,
    occurredAt: event.occurredAt,
    data: event.data,
  };
  return `id: ${event.streamVersion}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * An execution's events as `text/event-stream`: what exists, then new events as they are
 * appended, until the terminal one. The generator is pulled only as fast as the client reads.
 * When Koa destroys the stream (the client went away) the poller's sleep is aborted at once:
 * `Readable.from` would instead wait for the generator's next `yield`, which for an idle
 * execution is the next heartbeat, 15 s of pointless polling later.
 */
export function openExecutionEventStream(options: ExecutionEventStreamOptions): Readable {
  const closed = new AbortController();
  const messages = executionMessages(options, closed.signal);
  let pulling = false;
  return new Readable({
    read() {
      if (pulling) return;
      pulling = true;
      messages.next().then(
        (result) => {
          pulling = false;
          this.push(result.done ? null : result.value);
        },
        (error: unknown) => this.destroy(error as Error),
      );
    },
    destroy(error, callback) {
      closed.abort();
      callback(error);
    },
  });
}

async function* executionMessages(
  options: ExecutionEventStreamOptions,
  signal: AbortSignal,
): AsyncGenerator<string> {
  // Tells EventSource how soon to reconnect, and sends the headers before any event exists.
  yield 'retry: 1000\n\n';
  let last = options.after;
  let quietSince = Date.now();
  while (!signal.aborted) {
    const events = await options.readEvents();
    // Resumed after the end (Last-Event-ID at or past the terminal event): nothing will follow.
    if (events.some((e) => e.streamVersion <= last && terminalTypes.has(e.type))) return;
    for (const event of events) {
      if (event.streamVersion <= last) continue;
      yield sseMessage(event);
      last = event.streamVersion;
      quietSince = Date.now();
      if (terminalTypes.has(event.type)) return;
    }
    if (Date.now() - quietSince >= options.heartbeatMs) {
      yield ': heartbeat\n\n';
      quietSince = Date.now();
    }
    try {
      await sleep(options.pollMs, undefined, { signal });
    } catch {
      return;
    }
  }
}
