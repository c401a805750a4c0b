import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { serverSentEvents } from './serverSentEvents.js';
import type { StreamedEvent } from './streamedEvent.js';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

describe('Server-Sent Events', () => {
  it('writes each event with its id and name, and an error as problem+json', async () => {
    const stream = serverSentEvents(async function* () {
      yield { id: '1', event: 'token', data: { text: 'multi\nline' } };
      yield { event: 'error', data: new AwpError('not_found', 'gone') };
    });
    expect(await text(stream)).toBe(
      'retry: 1000\n\n' +
        'id: 1\nevent: token\ndata: {"text":"multi\\nline"}\n\n' +
        'event: error\ndata: {"type":"https://awp.dev/problems/not_found","title":"Not found","status":404,"detail":"gone"}\n\n',
    );
  });

  it('sends a heartbeat comment while the source is quiet', async () => {
    let release = (): void => undefined;
    const stream = serverSentEvents(
      async function* () {
        await new Promise<void>((resolve) => (release = resolve));
        yield { id: '1', event: 'done', data: {} };
      },
      { heartbeatMs: 10, retryMs: 5 },
    );
    const chunks: string[] = [];
    stream.on('data', (chunk) => {
      chunks.push(String(chunk));
      if (chunks.includes(': heartbeat\n\n')) release();
    });
    await new Promise((resolve) => stream.on('end', resolve));
    expect(chunks[0]).toBe('retry: 5\n\n');
    expect(chunks).toContain(': heartbeat\n\n');
    expect(chunks.at(-1)).toBe('id: 1\nevent: done\ndata: {}\n\n');
  });

  it('ends with an error event when the source fails, hiding what it said', async () => {
    const stream = serverSentEvents(async function* (): AsyncGenerator<StreamedEvent> {
      yield { id: '1', event: 'token', data: { text: 'a' } };
      throw new Error('database password is hunter2');
    });
    const all = await text(stream);
    expect(all).toContain('event: error\ndata: {"type":"https://awp.dev/problems/internal"');
    expect(all).not.toContain('hunter2');
  });

  it('aborts the source when the stream is destroyed (the client went away)', async () => {
    let seen: AbortSignal | undefined;
    const stream = serverSentEvents((signal) => {
      seen = signal;
      return (async function* () {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        yield { event: 'never', data: null };
      })();
    });
    stream.resume();
    stream.destroy();
    await new Promise((resolve) => stream.on('close', resolve));
    expect(seen?.aborted).toBe(true);
  });
});
