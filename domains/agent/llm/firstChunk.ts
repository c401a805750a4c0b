import { LlmProviderError } from './llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider } from './llmProvider.js';

/** A provider's answer once it has produced its first chunk. */
export interface StartedAnswer {
  first: ChatChunk;
  rest: AsyncIterator<ChatChunk>;
  /** Stops the provider's request (the caller went away or the router gave up on it). */
  abort(): void;
}

/**
 * Starts `provider` on `request` and waits for its first chunk, at most `timeoutMs`. Until
 * then nothing has reached the caller, so whatever goes wrong may still be handed to another
 * provider. The attempt gets its own abort signal, so a timed-out request is really cancelled
 * rather than left running (and billed) in the background.
 */
export async function awaitFirstChunk(
  provider: LlmProvider,
  request: ChatRequest,
  timeoutMs: number,
): Promise<StartedAnswer> {
  const attempt = new AbortController();
  const signal = request.signal
    ? AbortSignal.any([request.signal, attempt.signal])
    : attempt.signal;
  const abort = () => attempt.abort();
  let timer: NodeJS.Timeout | undefined;
  try {
    const rest = provider.stream({ ...request, signal })[Symbol.asyncIterator]();
    const next = rest.next();
    // Once the timeout wins the race, `next` still settles (usually rejecting on the abort):
    // without a handler that would be an unhandled rejection.
    next.catch(() => undefined);
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort();
        reject(
          new LlmProviderError(
            provider.name,
            'timeout',
            `${provider.name} sent nothing within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
    const result = await Promise.race([next, timedOut]);
    if (result.done) {
      throw new LlmProviderError(provider.name, 'unavailable', `${provider.name} sent no answer`);
    }
    return { first: result.value, rest, abort };
  } catch (error) {
    abort();
    // The caller's own cancellation is not the provider's failure: no failover, no circuit.
    if (request.signal?.aborted) throw request.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
