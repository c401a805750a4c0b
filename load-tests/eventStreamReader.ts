/** One Server-Sent Event as received, with the time its last byte arrived. */
export interface ReceivedEvent {
  id: string | undefined;
  /** `message` when the server named none, as EventSource does. */
  event: string;
  data: string;
  /** `performance.now()` when the chunk completing the event was read. */
  at: number;
}

/**
 * Parses a `text/event-stream` body as it arrives (WHATWG HTML §9.2.6, for the subset both
 * servers write: `\n` line ends, `id`/`event`/`data` fields, comments). A hand-written parser
 * rather than a library so that the arrival time of each event is the time of its chunk,
 * with no buffering in between.
 */
export async function* readEventStream(
  body: AsyncIterable<Buffer | Uint8Array>,
): AsyncGenerator<ReceivedEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    const at = performance.now();
    buffered += decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end !== -1) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = parsed(block, at);
      if (event) yield event;
      end = buffered.indexOf('\n\n');
    }
  }
}

function parsed(block: string, at: number): ReceivedEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  // A block without data (a `retry:` line, a comment) dispatches nothing.
  if (data.length === 0) return undefined;
  return { id, event, data: data.join('\n'), at };
}
