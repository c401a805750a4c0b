import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider } from '../../domains/agent/llm/llmProvider.js';
import { startFakeAnthropicServer } from '../../test/support/fakeLlm/fakeAnthropicServer.js';
import type { FakeAnthropicServer } from '../../test/support/fakeLlm/fakeAnthropicServer.js';
import { createAnthropicProvider } from './anthropicProvider.js';

const apiKey = 'sk-ant-test-0123456789abcdef';
let server: FakeAnthropicServer;
let provider: LlmProvider;

beforeAll(async () => {
  server = await startFakeAnthropicServer({ apiKey });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  provider = createAnthropicProvider({ baseUrl: server.baseUrl, apiKey, timeoutMs: 500 });
});

const question: ChatRequest = {
  model: 'claude-test',
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

describe('the Anthropic provider, against the fake Anthropic server', () => {
  it('streams text deltas, then usage from message_start and message_delta', async () => {
    server.reply({ text: 'Hello, world!', usage: { inputTokens: 21, outputTokens: 5 } });
    expect(await chunksOf(provider.stream(question))).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ',' },
      { type: 'text', text: ' world' },
      { type: 'text', text: '!' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 5 } },
      { type: 'done', finishReason: 'stop' },
    ]);
    expect(server.messageBodies()[0]).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      stream: true,
      system: 'You are terse.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello.' }] }],
    });
    expect(server.requests[0]?.headers['anthropic-version']).toBeTruthy();
  });

  it('offers tools and assembles tool_use blocks from input_json_delta pieces', async () => {
    server.reply({
      text: 'Let me look.',
      toolCalls: [
        { id: 'toolu_1', name: 'lookup_order', arguments: { orderId: 'A-1', expand: ['items'] } },
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
    expect(chunks.filter((c) => c.type === 'tool_call' || c.type === 'done')).toEqual([
      {
        type: 'tool_call',
        call: {
          id: 'toolu_1',
          name: 'lookup_order',
          arguments: '{"orderId":"A-1","expand":["items"]}',
        },
      },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
    expect(server.messageBodies()[0]?.tools).toEqual([
      { name: 'lookup_order', description: 'Finds an order', input_schema: tools[0]!.parameters },
    ]);
  });

  it('sends tool calls as tool_use blocks and results as tool_result blocks of one user turn', async () => {
    await chunksOf(
      provider.stream({
        model: 'claude-test',
        messages: [
          { role: 'user', content: 'Where are A-1 and B-2?' },
          {
            role: 'assistant',
            content: 'Checking both.',
            toolCalls: [
              { id: 'toolu_a', name: 'lookup_order', arguments: '{"orderId":"A-1"}' },
              { id: 'toolu_b', name: 'lookup_order', arguments: '{"orderId":"B-2"}' },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_a', content: 'shipped' },
          { role: 'tool', toolCallId: 'toolu_b', content: 'packed' },
        ],
      }),
    );
    expect(server.messageBodies()[0]?.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Where are A-1 and B-2?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_a', name: 'lookup_order', input: { orderId: 'A-1' } },
          { type: 'tool_use', id: 'toolu_b', name: 'lookup_order', input: { orderId: 'B-2' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: 'shipped' },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: 'packed' },
        ],
      },
    ]);
  });

  it('gets a structured answer through a forced tool and gives its input as the text', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    server.reply({ toolCalls: [{ name: 'workflow_draft', arguments: { name: 'order-intake' } }] });
    const chunks = await chunksOf(
      provider.stream({ ...question, responseSchema: { name: 'workflow draft', schema } }),
    );
    const text = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
    expect(JSON.parse(text)).toEqual({ name: 'order-intake' });
    expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(1);
    expect(chunks.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    const body = server.messageBodies()[0]!;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'workflow_draft' });
    expect(body.tools).toEqual([
      expect.objectContaining({ name: 'workflow_draft', input_schema: schema }),
    ]);
    expect(body.system).toMatch(/You are terse\.\n\nAnswer by calling the tool "workflow_draft"/);
  });

  it('wraps a schema whose root is not an object, and unwraps the answer', async () => {
    const schema = { type: 'array', items: { type: 'string' } };
    server.reply({ toolCalls: [{ name: 'names', arguments: { value: ['a', 'b'] } }] });
    const chunks = await chunksOf(
      provider.stream({ ...question, responseSchema: { name: 'names', schema } }),
    );
    expect(chunks.filter((c) => c.type === 'text')).toEqual([{ type: 'text', text: '["a","b"]' }]);
  });
});

describe('the Anthropic provider: failures', () => {
  it('maps a refused key to authentication, without the key in the error', async () => {
    const wrongKey = 'sk-ant-wrong-9876543210';
    const outsider = createAnthropicProvider({ baseUrl: server.baseUrl, apiKey: wrongKey });
    const error = await failureOf(question, outsider);
    expect(error).toMatchObject({ kind: 'authentication', details: { status: 401 } });
    expect(error.message).toBe('anthropic answered 401: invalid x-api-key');
    expect(String(error.cause)).not.toContain(wrongKey);
  });

  it('maps 400 to bad_request', async () => {
    server.reply({
      error: { status: 400, message: 'messages: text content blocks must be non-empty' },
    });
    expect(await failureOf(question)).toMatchObject({
      kind: 'bad_request',
      details: { status: 400 },
    });
  });

  it('maps 429 to rate_limited with the retry-after delay', async () => {
    server.reply({
      error: {
        status: 429,
        message: 'Number of requests has exceeded your rate limit',
        retryAfterSeconds: 12,
      },
    });
    expect(await failureOf(question)).toMatchObject({
      kind: 'rate_limited',
      details: { status: 429, retryAfterSeconds: 12 },
    });
  });

  it.each([500, 529])('maps %i to unavailable', async (status) => {
    server.reply({ error: { status } });
    const error = await failureOf(question);
    expect(error).toMatchObject({ kind: 'unavailable', details: { status } });
    if (status === 529) expect(error.message).toBe('anthropic answered 529: Overloaded');
  });

  it('maps a server that never answers to timeout', async () => {
    server.reply({ hang: true });
    expect(await failureOf(question)).toMatchObject({
      kind: 'timeout',
      message: 'anthropic did not answer within 500 ms',
    });
  });

  it('maps an overloaded_error event mid-stream to unavailable', async () => {
    server.reply({ text: 'one two three', breakAfterTokens: { tokens: 1, how: 'error_event' } });
    const error = await failureOf(question);
    expect(error.kind).toBe('unavailable');
    expect(error.message).toBe('anthropic failed mid-answer: Overloaded');
  });

  it('maps a dropped connection mid-stream to unavailable', async () => {
    server.reply({ text: 'one two three', breakAfterTokens: { tokens: 2, how: 'disconnect' } });
    expect((await failureOf(question)).kind).toBe('unavailable');
  });

  it('maps a refusal to content_filtered', async () => {
    server.reply({ text: 'I cannot', finishReason: 'refusal' });
    expect((await failureOf(question)).kind).toBe('content_filtered');
  });
});
