import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from './fakeAnthropicServer.js';
import type { FakeAnthropicServer } from './fakeAnthropicServer.js';

let server: FakeAnthropicServer;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(() => server.close());

const headers = () => ({
  'content-type': 'application/json',
  'x-api-key': server.apiKey,
  'anthropic-version': '2023-06-01',
});

/** The event names of a raw SSE body, in order. */
function eventNames(body: string): string[] {
  return [...body.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]!);
}

describe('the fake Anthropic server', () => {
  it('streams the real event sequence, text then tool use', async () => {
    server.reply({ text: 'On it.', toolCalls: [{ name: 'lookup', arguments: { id: 7 } }] });
    const response = await fetch(`${server.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        model: 'claude-test',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Look up 7' }],
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await response.text();
    expect(eventNames(body)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array<string>(3).fill('content_block_delta'), // On · it · .
      'content_block_stop',
      'content_block_start',
      ...Array<string>(3).fill('content_block_delta'), // '' · {"id":7 · }
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(body).toContain('"delta":{"type":"input_json_delta","partial_json":"{\\"id\\":7"}');
    expect(body).toContain('"delta":{"stop_reason":"tool_use","stop_sequence":null}');
  });

  it('answers a non-streaming message through the SDK', async () => {
    server.reply({ text: 'Hello there', usage: { inputTokens: 11, outputTokens: 2 } });
    const client = new Anthropic({ baseURL: server.baseUrl, apiKey: server.apiKey, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there', citations: null }]);
    expect(message).toMatchObject({
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 2 },
    });
  });

  it('refuses a wrong key and a missing anthropic-version in Anthropic’s error format', async () => {
    const post = (extra: Record<string, string>) =>
      fetch(`${server.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { ...headers(), ...extra },
        body: JSON.stringify({
          model: 'm',
          max_tokens: 1,
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
    const wrongKey = await post({ 'x-api-key': 'nope' });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    });
    const noVersion = await post({ 'anthropic-version': '' });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('refuses a system role inside messages, as the real API does', async () => {
    const response = await fetch(`${server.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'system', content: 'x' }],
      }),
    });
    expect(response.status).toBe(400);
  });

  it('answers 529 overloaded_error and 429 with retry-after', async () => {
    server.reply({ error: { status: 529 } }, { error: { status: 429, retryAfterSeconds: 3 } });
    const post = () =>
      fetch(`${server.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({
          model: 'm',
          max_tokens: 1,
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
    const overloaded = await post();
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
  });
});
