import OpenAI from 'openai';
import type { EmbeddingsProvider } from '../../domains/agent/llm/llmProvider.js';
import { toProviderError } from './vendorErrors.js';
import type { ErrorContext } from './vendorErrors.js';

export interface OpenAiEmbeddingsOptions {
  /** Default `openai`. */
  name?: string;
  model: string;
  /** The server's API root, `/v1` included. Default https://api.openai.com/v1. */
  baseUrl?: string;
  apiKey?: string;
  /** Default 30 000 ms. */
  timeoutMs?: number;
  /** Inputs per request; longer lists are sent in batches. Default 256. */
  batchSize?: number;
}

/**
 * Embeddings over the `openai` SDK (OpenAI, vLLM, Ollama, TEI, llama.cpp all serve
 * `/v1/embeddings`). Vectors are asked for as floats: the SDK's default, base64, is not
 * understood by every compatible server, and decoding a float list as base64 would give
 * garbage without an error.
 */
export function createOpenAiEmbeddings(options: OpenAiEmbeddingsOptions): EmbeddingsProvider {
  const name = options.name ?? 'openai';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const batchSize = options.batchSize ?? 256;
  const client = new OpenAI({
    baseURL: options.baseUrl ?? 'https://api.openai.com/v1',
    apiKey: options.apiKey ?? 'no-key',
    maxRetries: 0,
    timeout: timeoutMs,
    organization: null,
    project: null,
  });
  const errors: ErrorContext = { provider: name, sdk: OpenAI, apiKey: options.apiKey, timeoutMs };

  async function embedBatch(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    try {
      const response = await client.embeddings.create(
        { model: options.model, input: texts, encoding_format: 'float' },
        signal ? { signal } : {},
      );
      // The API states each vector's index; a server need not keep the order.
      const vectors = texts.map((): number[] | undefined => undefined);
      for (const item of response.data) vectors[item.index] = item.embedding;
      if (vectors.some((vector) => vector === undefined)) {
        throw new Error(`asked for ${texts.length} vectors, got ${response.data.length}`);
      }
      return vectors as number[][];
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toProviderError(error, errors);
    }
  }

  return {
    name,
    model: options.model,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize), signal)));
      }
      return vectors;
    },
  };
}
