import { Readable } from 'node:stream';
import { wireData } from './streamedEvent.js';
import type { StreamedEvent } from './streamedEvent.js';

export interface ServerSentEventsOptions {
  /** How long an idle stream waits before a comment keeps proxies from closing it. Default 15 s. */
  heartbeatMs?: number;
  /** How long EventSource waits before it reconnects. Default 1 s. */
  retryMs?: number;
}

/** One message; the data is one line, because JSON.stringify writes no raw newlines. */
function formatted(event: StreamedEvent): string {
  const id = event.id === undefined ? '' : `id: ${event.id}\n`;
  return `${id}event: ${event.event}\ndata: ${JSON.stringify(wireData(event))}\n\n`;
}

/**
 * A live stream as `text/event-stream`, pulled only as fast as the client reads. `open` gets a
 * signal that aborts when the response is destroyed (the client went away), so a source that
 * waits for its next event stops at once instead of at that event. A source that fails ends
 * the stream with an `error` event, since the status line has long been sent.
 */
export function serverSentEvents(
  open: (signal: AbortSignal) => AsyncIterable<StreamedEvent>,
  options: ServerSentEventsOptions = {},
): Readable {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const closed = new AbortController();
  const events = open(closed.signal)[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<StreamedEvent>> | undefined;
  let started = false;
  let reading = false;
  return new Readable({
    read() {
      if (!started) {
        started = true;
        // Sends the headers at once and tells EventSource how soon to reconnect.
        this.push(`retry: ${options.retryMs ?? 1_000}\n\n`);
        return;
      }
      if (reading) return;
      reading = true;
      pending ??= events.next();
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<'quiet'>((resolve) => {
        timer = setTimeout(() => resolve('quiet'), heartbeatMs);
      });
      // `reading` is cleared before each push: a push may ask for the next chunk at once.
      const settle = (...chunks: Array<string | null>) => {
        clearTimeout(timer);
        reading = false;
        for (const chunk of chunks) this.push(chunk);
      };
      Promise.race([pending, quiet]).then(
        (result) => {
          if (result === 'quiet') return settle(': heartbeat\n\n');
          pending = undefined;
          settle(result.done ? null : formatted(result.value));
        },
        (error: unknown) => settle(formatted({ event: 'error', data: error }), null),
      );
    },
    destroy(error, callback) {
      closed.abort();
      // Finishes a source suspended at a `yield`; one waiting inside sees the abort instead.
      void events.return?.().catch(() => undefined);
      callback(error);
    },
  });
}
