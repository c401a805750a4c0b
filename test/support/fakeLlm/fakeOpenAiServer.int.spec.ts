import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEmbedding } from './fakeEmbeddings.js';
import { startFakeOpenAiServer } from './fakeOpenAiServer.js';
import type { FakeOpenAiServer } from './fakeOpenAiServer.js';

let server: FakeOpenAiServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ models: ['fake-a', 'fake-b'] });
  client = new OpenAI({ baseURL: server.baseUrl, apiKey: server.apiKey, maxRetries: 0 });
});
afterAll(() => server.close());

describe('the fake OpenAI server', () => {
  it('answers a non-streaming completion with text, tool calls and usage', async () => {
    server.reply({
      text: 'Checking.',
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 7 } }],
      usage: { inputTokens: 9, outputTokens: 3 },
    });
    const completion = await client.chat.completions.create({
      model: 'fake-a',
      messages: [{ role: 'user', content: 'Look up 7' }],
    });
    expect(completion.choices[0]).toMatchObject({
      message: {
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 3,
      total_tokens: 12,
    });
  });

  it('streams role first, then content, then a usage chunk without choices', async () => {
    server.reply({ text: 'Hi there' });
    const chunks = [];
    const stream = await client.chat.completions.create({
      model: 'fake-a',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: '' });
    expect(chunks.slice(1, 3).map((c) => c.choices[0]?.delta.content)).toEqual(['Hi', ' there']);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
  });

  it('answers embeddings in base64 (the SDK default) as well as floats', async () => {
    const response = await client.embeddings.create({ model: 'fake-embed', input: 'hello' });
    expect(response.data[0]?.embedding).toEqual(fakeEmbedding('hello', 8));
  });

  it('lists its models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['fake-a', 'fake-b']);
  });

  it('refuses a wrong key in OpenAI’s error format, showing the key masked', async () => {
    const response = await fetch(`${server.baseUrl}/models`, {
      headers: { authorization: 'Bearer sk-wrong-123456789' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringMatching(/^Incorrect API key provided: sk-\*\*\*\*6789\./),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  });

  it('records each request and lets a handler decide the reply', async () => {
    server.handle((request) => ({
      text: `you said ${(request.body as { messages: { content: string }[] }).messages[0]?.content}`,
    }));
    const completion = await client.chat.completions.create({
      model: 'fake-b',
      messages: [{ role: 'user', content: 'ping' }],
    });
    server.handle(undefined);
    expect(completion.choices[0]?.message.content).toBe('you said ping');
    expect(server.chatBodies().at(-1)).toMatchObject({ model: 'fake-b' });
  });
});
