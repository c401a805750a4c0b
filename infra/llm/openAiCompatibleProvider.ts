import OpenAI from 'openai';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider } from '../../domains/agent/llm/llmProvider.js';
import { OpenAiChunkReader } from './openAiChunkReader.js';
import { openAiParams } from './openAiRequest.js';
import type { ResponseFormatMode } from './openAiRequest.js';
import { StreamWatch } from './streamWatch.js';
import { toProviderError } from './vendorErrors.js';
import type { ErrorContext } from './vendorErrors.js';

export interface OpenAiCompatibleProviderOptions {
  /** The name policies and events use, e.g. `openai` or `local-vllm`. */
  name: string;
  /**
   * The server's API root, `/v1` included: https://api.openai.com/v1 (default), vLLM
   * http://host:8000/v1, Ollama http://host:11434/v1, TGI http://host:8080/v1, llama.cpp
   * http://host:8080/v1.
   */
  baseUrl?: string;
  /** Servers without authentication (a local Ollama) may go without; a placeholder is sent. */
  apiKey?: string;
  /** Wait for the response, and then for each streamed chunk. Default 60 000 ms. */
  timeoutMs?: number;
  /** Ask for usage in the stream (`stream_options`); turn off for servers that refuse it. Default true. */
  includeUsage?: boolean;
  /** Default `json_schema`. */
  responseFormat?: ResponseFormatMode;
  /** Default `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
  maxTokensParameter?: 'max_tokens' | 'max_completion_tokens';
}

const openAiBaseUrl = 'https://api.openai.com/v1';

/**
 * The port over the `openai` SDK, for OpenAI and every server that speaks its chat-completions
 * protocol. The SDK does not retry (`maxRetries: 0`): retrying, failing over and circuit
 * breaking are the router's, which sees every provider.
 */
export function createOpenAiCompatibleProvider(
  options: OpenAiCompatibleProviderOptions,
): LlmProvider {
  const baseUrl = options.baseUrl ?? openAiBaseUrl;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = new OpenAI({
    baseURL: baseUrl,
    apiKey: options.apiKey ?? 'no-key',
    maxRetries: 0,
    timeout: timeoutMs,
    // Explicit nulls, so OPENAI_ORG_ID / OPENAI_PROJECT in the environment do not leak into
    // requests to other vendors' servers.
    organization: null,
    project: null,
  });
  const requestOptions = {
    provider: options.name,
    includeUsage: options.includeUsage ?? true,
    responseFormat: options.responseFormat ?? 'json_schema',
    maxTokensParameter:
      options.maxTokensParameter ??
      (new URL(baseUrl).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens'),
  } as const;
  const errors: ErrorContext = {
    provider: options.name,
    sdk: OpenAI,
    apiKey: options.apiKey,
    timeoutMs,
  };

  async function* stream(request: ChatRequest): AsyncGenerator<ChatChunk> {
    const params = openAiParams(request, requestOptions);
    const watch = new StreamWatch(timeoutMs, request.signal);
    const reader = new OpenAiChunkReader();
    try {
      const events = await client.chat.completions.create(params, { signal: watch.signal });
      watch.arm();
      for await (const event of events) {
        watch.disarm();
        for (const chunk of reader.read(event)) yield chunk;
        watch.arm();
      }
      watch.disarm();
      if (watch.callerAborted) throw watch.callerReason;
      if (watch.timedOut) throw watch.idleError(options.name);
      if (reader.finishReason === undefined) {
        throw new LlmProviderError(
          options.name,
          'unavailable',
          `${options.name} ended the stream before the answer was complete`,
        );
      }
      if (reader.finishReason === 'content_filter' || reader.refused !== undefined) {
        const said = reader.refused ? `: ${reader.refused}` : '';
        throw new LlmProviderError(
          options.name,
          'content_filtered',
          `${options.name} refused to answer${said}`,
        );
      }
      yield* reader.close();
    } catch (error) {
      watch.disarm();
      if (watch.callerAborted) throw watch.callerReason;
      if (watch.timedOut) throw watch.idleError(options.name);
      throw toProviderError(error, errors);
    }
  }

  return { name: options.name, stream };
}
