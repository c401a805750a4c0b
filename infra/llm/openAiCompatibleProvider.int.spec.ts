import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider } from '../../domains/agent/llm/llmProvider.js';
import { startFakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import type { FakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import { createOpenAiCompatibleProvider } from './openAiCompatibleProvider.js';

const apiKey = 'sk-test-0123456789abcdef';
let server: FakeOpenAiServer;
let provider: LlmProvider;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ apiKey });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  provider = createOpenAiCompatibleProvider({
    name: 'local-vllm',
    baseUrl: server.baseUrl,
    apiKey,
    timeoutMs: 500,
  });
});

const question: ChatRequest = {
  model: 'fake-model',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say hello.' },
  ],
};

async function chunksOf(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function failureOf(request: ChatRequest, from = provider): Promise<LlmProviderError> {
  const error = await chunksOf(from.stream(request)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmProviderError);
  return error as LlmProviderError;
}

describe('the OpenAI-compatible provider, against the fake OpenAI server', () => {
  it('streams the answer token by token, then usage and done', async () => {
    server.reply({ text: 'Hello, world!', usage: { inputTokens: 12, outputTokens: 4 } });
    expect(await chunksOf(provider.stream(question))).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ',' },
      { type: 'text', text: ' world' },
      { type: 'text', text: '!' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 4 } },
      { type: 'done', finishReason: 'stop' },
    ]);
    expect(server.chatBodies()[0]).toMatchObject({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });
});

describe('the OpenAI-compatible provider: requests', () => {
  it('delivers each token as it is sent, not at the end', async () => {
    server.reply({ tokens: ['one', ' two', ' three'], tokenDelayMs: 60 });
    const arrivals: number[] = [];
    for await (const chunk of provider.stream(question)) {
      if (chunk.type === 'text') arrivals.push(Date.now());
    }
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(100);
  });

  it('offers tools and assembles the calls streamed in pieces', async () => {
    server.reply({
      toolCalls: [
        { id: 'call_a', name: 'lookup_order', arguments: { orderId: 'A-1', expand: ['items'] } },
        { id: 'call_b', name: 'notify', arguments: '{"channel":"email"}' },
      ],
    });
    const tools = [
      {
        name: 'lookup_order',
        description: 'Finds an order',
        parameters: { type: 'object', properties: { orderId: { type: 'string' } } },
      },
    ];
    const chunks = await chunksOf(provider.stream({ ...question, tools }));
    expect(chunks.filter((c) => c.type !== 'usage')).toEqual([
      {
        type: 'tool_call',
        call: {
          id: 'call_a',
          name: 'lookup_order',
          arguments: '{"orderId":"A-1","expand":["items"]}',
        },
      },
      {
        type: 'tool_call',
        call: { id: 'call_b', name: 'notify', arguments: '{"channel":"email"}' },
      },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
    expect(server.chatBodies()[0]?.tools).toEqual([{ type: 'function', function: tools[0] }]);
  });

  it('sends earlier tool calls and their results back in OpenAI form', async () => {
    await chunksOf(
      provider.stream({
        model: 'fake-model',
        messages: [
          { role: 'user', content: 'Where is A-1?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_a', name: 'lookup_order', arguments: '{"orderId":"A-1"}' }],
          },
          { role: 'tool', toolCallId: 'call_a', content: '{"status":"shipped"}' },
        ],
      }),
    );
    expect(server.chatBodies()[0]?.messages).toEqual([
      { role: 'user', content: 'Where is A-1?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'lookup_order', arguments: '{"orderId":"A-1"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"status":"shipped"}' },
    ]);
  });

  it('asks for a JSON-schema answer, with max_tokens and temperature for a non-OpenAI server', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    server.reply({ text: '{"name":"order-intake"}' });
    await chunksOf(
      provider.stream({
        ...question,
        responseSchema: { name: 'workflow draft', schema },
        maxOutputTokens: 300,
        temperature: 0.2,
      }),
    );
    expect(server.chatBodies()[0]).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'workflow_draft', schema, strict: false },
      },
      max_tokens: 300,
      temperature: 0.2,
    });
  });

  it('puts the schema in a system message for servers that only know JSON mode', async () => {
    const jsonMode = createOpenAiCompatibleProvider({
      name: 'old-llamacpp',
      baseUrl: server.baseUrl,
      apiKey,
      responseFormat: 'json_object',
      includeUsage: false,
    });
    const schema = { type: 'array', items: { type: 'string' } };
    await chunksOf(jsonMode.stream({ ...question, responseSchema: { name: 'names', schema } }));
    const body = server.chatBodies()[0]!;
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.stream_options).toBeUndefined();
    expect((body.messages as { content: string }[])[0]?.content).toContain(JSON.stringify(schema));
  });
});

describe('the OpenAI-compatible provider: failures', () => {
  it('maps a refused key to authentication, without the key in the error', async () => {
    const wrongKey = 'sk-wrong-key-9876543210';
    const outsider = createOpenAiCompatibleProvider({
      name: 'openai',
      baseUrl: server.baseUrl,
      apiKey: wrongKey,
    });
    const error = await failureOf(question, outsider);
    expect(error).toMatchObject({
      kind: 'authentication',
      provider: 'openai',
      details: { status: 401 },
    });
    expect(error.message).toMatch(/^openai answered 401: Incorrect API key provided/);
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(
      wrongKey,
    );
  });

  it('scrubs the key when a server echoes it whole', async () => {
    server.reply({ error: { status: 400, message: `key ${apiKey} may not use this model` } });
    const error = await failureOf(question);
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('local-vllm answered 400: key [redacted] may not use this model');
    expect(String(error.cause)).not.toContain(apiKey);
  });

  it('maps 429 to rate_limited with the retry-after delay', async () => {
    server.reply({ error: { status: 429, message: 'Rate limit reached', retryAfterSeconds: 7 } });
    const error = await failureOf(question);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      details: { status: 429, retryAfterSeconds: 7 },
    });
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('(retry after 7 s)');
  });

  it.each([500, 503, 529])('maps %i to unavailable', async (status) => {
    server.reply({ error: { status } });
    expect(await failureOf(question)).toMatchObject({ kind: 'unavailable', details: { status } });
  });

  it('maps a server that never answers to timeout', async () => {
    server.reply({ hang: true });
    const error = await failureOf(question);
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('local-vllm did not answer within 500 ms');
  });

  it('maps a stream that goes quiet midway to timeout', async () => {
    server.reply({ tokens: ['a', 'b'], tokenDelayMs: 2_000 });
    expect((await failureOf(question)).message).toMatch(/went quiet for 500 ms/);
  });

  it.each(['disconnect', 'error_event'] as const)(
    'maps a stream broken by %s to unavailable',
    async (how) => {
      server.reply({ text: 'one two three', breakAfterTokens: { tokens: 1, how } });
      const seen: ChatChunk[] = [];
      const error = await chunksOf(
        (async function* () {
          for await (const chunk of provider.stream(question)) {
            seen.push(chunk);
            yield chunk;
          }
        })(),
      ).catch((e: unknown) => e);
      expect(seen).toEqual([{ type: 'text', text: 'one' }]);
      expect(error).toMatchObject({ kind: 'unavailable' });
    },
  );

  it('maps a refused connection to unavailable', async () => {
    const closed = await startFakeOpenAiServer();
    await closed.close();
    const gone = createOpenAiCompatibleProvider({ name: 'gone', baseUrl: closed.baseUrl, apiKey });
    const error = await failureOf(question, gone);
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/^gone could not be reached/);
  });

  it('maps a content-filter finish to content_filtered', async () => {
    server.reply({ text: 'I', finishReason: 'content_filter' });
    expect((await failureOf(question)).kind).toBe('content_filtered');
  });

  it("throws the caller's own reason when the caller aborts", async () => {
    server.reply({ tokens: ['a', 'b', 'c'], tokenDelayMs: 200 });
    const caller = new AbortController();
    const stream = provider.stream({ ...question, signal: caller.signal });
    const reading = chunksOf(stream);
    setTimeout(() => caller.abort(new Error('user closed the tab')), 50);
    await expect(reading).rejects.toThrow('user closed the tab');
  });
});
