import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import { fakeEmbedding } from '../../test/support/fakeLlm/fakeEmbeddings.js';
import { startFakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import type { FakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import { createOpenAiEmbeddings } from './openAiEmbeddings.js';

const apiKey = 'sk-embed-0123456789';
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ apiKey, embeddingDimension: 16 });
});
afterAll(() => server.close());

describe('OpenAI-compatible embeddings, against the fake server', () => {
  it('returns one vector per text, in order, asking for floats', async () => {
    const embeddings = createOpenAiEmbeddings({
      model: 'fake-embed',
      baseUrl: server.baseUrl,
      apiKey,
    });
    const vectors = await embeddings.embed(['first order', 'second order']);
    expect(vectors).toEqual([fakeEmbedding('first order', 16), fakeEmbedding('second order', 16)]);
    expect(server.requests.at(-1)?.body).toEqual({
      model: 'fake-embed',
      input: ['first order', 'second order'],
      encoding_format: 'float',
    });
  });

  it('sends long lists in batches', async () => {
    const embeddings = createOpenAiEmbeddings({
      model: 'fake-embed',
      baseUrl: server.baseUrl,
      apiKey,
      batchSize: 2,
    });
    const before = server.requests.length;
    const texts = ['a', 'b', 'c', 'd', 'e'];
    expect(await embeddings.embed(texts)).toEqual(texts.map((text) => fakeEmbedding(text, 16)));
    expect(server.requests.length - before).toBe(3);
  });

  it('maps failures like the chat provider does, without the key', async () => {
    const embeddings = createOpenAiEmbeddings({
      name: 'embedder',
      model: 'fake-embed',
      baseUrl: server.baseUrl,
      apiKey,
    });
    server.failEmbeddings({ status: 503, message: `overloaded for ${apiKey}` });
    const error = await embeddings.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ kind: 'unavailable', provider: 'embedder' });
    expect((error as Error).message).toBe('embedder answered 503: overloaded for [redacted]');
  });
});
