import { AwpError, isAwpError } from '../../../contracts/index.js';
import type { ReplyChunk } from './replyTypes.js';

/**
 * The events of `POST /v1/agent-replies`, in order: a `token` per piece of the reply, then one
 * `final` (the whole reply and its accounting) or one `error` (a problem+json). A stream that
 * ends without either was cut off.
 */
export type AgentReplyStreamEvent =
  | { event: 'token'; data: { text: string } }
  | { event: 'final'; data: Omit<Extract<ReplyChunk, { type: 'final' }>, 'type'> }
  | { event: 'error'; data: AwpError };

/**
 * The reply's chunks as stream events. A failure becomes the last, `error`, event; one that is
 * not an `AwpError` (a bug) is told to `onUnexpected` first, since the caller only learns that
 * something internal failed. Once `signal` aborts, a failure ends the stream quietly.
 */
export async function* replyStreamEvents(
  chunks: AsyncIterable<ReplyChunk>,
  signal: AbortSignal,
  onUnexpected: (error: unknown) => void,
): AsyncGenerator<AgentReplyStreamEvent> {
  try {
    for await (const chunk of chunks) {
      if (chunk.type === 'token') {
        if (chunk.text !== '') yield { event: 'token', data: { text: chunk.text } };
        continue;
      }
      const { type: _type, ...final } = chunk;
      yield { event: 'final', data: final };
      return;
    }
  } catch (error) {
    // The caller went away (or the stream was closed): nobody is left to tell, and it is no bug.
    if (signal.aborted) return;
    if (isAwpError(error)) {
      yield { event: 'error', data: error };
      return;
    }
    onUnexpected(error);
    yield {
      event: 'error',
      data: new AwpError('internal', 'the assistant failed while replying', { cause: error }),
    };
    return;
  }
  yield {
    event: 'error',
    data: new AwpError('unavailable', 'the assistant stopped before finishing its reply', {
      retryable: true,
    }),
  };
}
