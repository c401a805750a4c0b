import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { readEventStream } from './eventStreamReader.js';
import type { FakeOpenAiProcess } from './agentPlatform.js';

/** The text the fake streams for `tokens` tokens (see `fakeOpenAiProcess.ts`). */
export const expectedText = (tokens: number): string =>
  Array.from({ length: tokens }, (_, i) => ` t${i}`).join('');

/** One streamed reply as the client saw it. */
export interface StreamOutcome {
  /** Milliseconds from sending the request to the first event (AWP: the recorded message). */
  firstEventMs: number;
  /** Milliseconds from sending the request to the first token; NaN when none came. */
  firstTokenMs: number;
  /** Milliseconds from sending the request to the end of the stream. */
  totalMs: number;
  /** What was wrong with it (status, missing or misordered events); empty when nothing. */
  problems: string[];
}

/** Calls that let a caller count the streams open and streaming at any moment. */
export interface StreamHooks {
  /** Called when the response headers arrive (the stream is open). */
  opened?: () => void;
  /** Called when the first token arrives. */
  streaming?: () => void;
  signal?: AbortSignal;
}

interface StreamOptions extends StreamHooks {
  dispatcher: Dispatcher;
  tokens: number;
}

/**
 * `POST /v1/conversations/{id}/messages` with `Accept: text/event-stream`, checked event by
 * event: the recorded `message`, every token in order with increasing ids, then `done` whose
 * recorded message holds exactly the streamed text.
 */
export async function streamThroughAwp(
  url: string,
  token: string,
  conversationId: string,
  options: StreamOptions,
): Promise<StreamOutcome> {
  const started = performance.now();
  const response = await request(`${url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify({ content: 'Say something, please.' }),
    dispatcher: options.dispatcher,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    return failed(started, `status ${response.statusCode}: ${text.slice(0, 200)}`);
  }
  options.opened?.();
  const problems: string[] = [];
  let firstEventMs = Number.NaN;
  let firstTokenMs = Number.NaN;
  let lastId = 0;
  let text = '';
  let received = 0;
  let kinds = '';
  let recorded: string | undefined;
  for await (const event of readEventStream(response.body)) {
    if (Number.isNaN(firstEventMs)) firstEventMs = event.at - started;
    const id = Number(event.id);
    if (event.id === undefined || !(id > lastId)) {
      problems.push(`${event.event} id ${event.id ?? 'missing'} after ${lastId}`);
    }
    lastId = id;
    kinds += event.event === 'token' ? 't' : `[${event.event}]`;
    if (event.event === 'token') {
      if (Number.isNaN(firstTokenMs)) {
        firstTokenMs = event.at - started;
        options.streaming?.();
      }
      received += 1;
      text += (JSON.parse(event.data) as { text: string }).text;
    } else if (event.event === 'done') {
      recorded = (JSON.parse(event.data) as { message: { content: string } }).message.content;
    } else if (event.event === 'error') {
      problems.push(`error event after ${received} tokens: ${event.data.slice(0, 200)}`);
    }
  }
  const expected = `[message]${'t'.repeat(options.tokens)}[done]`;
  if (kinds !== expected) problems.push(`events ${kinds.slice(0, 120)}, expected ${expected}`);
  if (text !== expectedText(options.tokens)) problems.push(`streamed text ${JSON.stringify(text)}`);
  if (recorded !== undefined && recorded !== text) problems.push('recorded text ≠ streamed text');
  return { firstEventMs, firstTokenMs, totalMs: performance.now() - started, problems };
}

/**
 * A streaming chat completion sent straight to the fake, as the platform's OpenAI client
 * sends it: the baseline. Checked the same way: every content delta, then `[DONE]`.
 */
export async function streamDirect(
  fake: FakeOpenAiProcess,
  options: StreamOptions,
): Promise<StreamOutcome> {
  const started = performance.now();
  const response = await request(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say something, please.' }],
    }),
    dispatcher: options.dispatcher,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.statusCode !== 200) {
    return failed(started, `status ${response.statusCode}: ${await response.body.text()}`);
  }
  options.opened?.();
  let firstEventMs = Number.NaN;
  let firstTokenMs = Number.NaN;
  let text = '';
  let finished = false;
  for await (const event of readEventStream(response.body)) {
    if (Number.isNaN(firstEventMs)) firstEventMs = event.at - started;
    if (event.data === '[DONE]') {
      finished = true;
      continue;
    }
    const chunk = JSON.parse(event.data) as { choices: { delta: { content?: string } }[] };
    const content = chunk.choices[0]?.delta.content;
    if (!content) continue;
    if (Number.isNaN(firstTokenMs)) {
      firstTokenMs = event.at - started;
      options.streaming?.();
    }
    text += content;
  }
  const problems: string[] = [];
  if (!finished) problems.push('no [DONE]');
  if (text !== expectedText(options.tokens)) problems.push(`streamed text ${JSON.stringify(text)}`);
  return { firstEventMs, firstTokenMs, totalMs: performance.now() - started, problems };
}

function failed(started: number, problem: string): StreamOutcome {
  const totalMs = performance.now() - started;
  return { firstEventMs: Number.NaN, firstTokenMs: Number.NaN, totalMs, problems: [problem] };
}
