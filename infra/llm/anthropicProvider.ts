import Anthropic from '@anthropic-ai/sdk';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider } from '../../domains/agent/llm/llmProvider.js';
import { AnthropicEventReader } from './anthropicEventReader.js';
import { anthropicParams } from './anthropicRequest.js';
import { StreamWatch } from './streamWatch.js';
import { toProviderError } from './vendorErrors.js';
import type { ErrorContext } from './vendorErrors.js';

export interface AnthropicProviderOptions {
  /** The name policies and events use. Default `anthropic`. */
  name?: string;
  /** Default https://api.anthropic.com (the SDK adds `/v1/messages`). */
  baseUrl?: string;
  apiKey: string;
  /** Wait for the response, and then for each streamed event. Default 60 000 ms. */
  timeoutMs?: number;
  /** `max_tokens` of requests that set none (Anthropic requires one). Default 4096. */
  defaultMaxOutputTokens?: number;
}

/**
 * The port over `@anthropic-ai/sdk`. As with the OpenAI adapter the SDK does not retry:
 * that is the router's, which sees every provider.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const name = options.name ?? 'anthropic';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const defaultMaxOutputTokens = options.defaultMaxOutputTokens ?? 4096;
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const errors: ErrorContext = {
    provider: name,
    sdk: Anthropic,
    apiKey: options.apiKey,
    timeoutMs,
  };

  async function* stream(request: ChatRequest): AsyncGenerator<ChatChunk> {
    const { params, answerTool } = anthropicParams(request, name, defaultMaxOutputTokens);
    const watch = new StreamWatch(timeoutMs, request.signal);
    const reader = new AnthropicEventReader(answerTool);
    try {
      const events = await client.messages.create(params, { signal: watch.signal });
      watch.arm();
      for await (const event of events) {
        watch.disarm();
        for (const chunk of reader.read(event)) yield chunk;
        watch.arm();
      }
      watch.disarm();
      if (watch.callerAborted) throw watch.callerReason;
      if (watch.timedOut) throw watch.idleError(name);
      if (!reader.stopped) {
        throw new LlmProviderError(
          name,
          'unavailable',
          `${name} ended the stream before the answer was complete`,
        );
      }
      if (reader.stopReason === 'refusal') {
        throw new LlmProviderError(
          name,
          'content_filtered',
          `${name} declined to answer (stop reason: refusal)`,
        );
      }
      yield* reader.close();
    } catch (error) {
      watch.disarm();
      if (watch.callerAborted) throw watch.callerReason;
      if (watch.timedOut) throw watch.idleError(name);
      throw toProviderError(error, errors);
    }
  }

  return { name, stream };
}
