import { WebSocket } from 'ws';
import { AwpError } from '../contracts/index.js';
import type { Role } from '../contracts/index.js';
import type {
  AssistantReplies,
  AssistantReplyRequest,
  ReplyChunk,
} from '../domains/conversation/index.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * An assistant that answers "You said: <message>", a word per token. `paced` makes each token
 * wait for `release()`, so a test can disconnect in the middle of a reply; a message containing
 * "[fail]" fails the reply as a provider outage would.
 */
export class ScriptedAssistant implements AssistantReplies {
  readonly requests: AssistantReplyRequest[] = [];
  paced = false;
  private released = 0;
  private readonly waiting = new Set<() => void>();

  async *reply(request: AssistantReplyRequest): AsyncGenerator<ReplyChunk> {
    this.requests.push(request);
    const asked = request.history.at(-1)?.content ?? '';
    if (asked.includes('[fail]')) {
      throw new AwpError('unavailable', 'the model provider is overloaded; try again', {
        retryable: true,
      });
    }
    const tokens = `You said: ${asked}`.split(/(?<= )/);
    for (const text of tokens) {
      if (this.paced) await this.turn(request.signal);
      yield { type: 'token', text };
    }
    yield {
      type: 'final',
      content: tokens.join(''),
      model: 'scripted-1',
      provider: 'test',
      inputTokens: request.history.length,
      outputTokens: tokens.length,
      metadata: { draftId: `draft-of-${request.userMessageId}` },
    };
  }

  /** Lets `count` more paced tokens through (all of them by default). */
  release(count = Number.MAX_SAFE_INTEGER): void {
    this.released = Math.min(Number.MAX_SAFE_INTEGER, this.released + count);
    this.wake();
  }

  /** Unpaced again, with nothing released in advance: a test leaves no pacing behind. */
  reset(): void {
    this.paced = false;
    this.released = 0;
    this.wake();
  }

  private wake(): void {
    for (const resume of [...this.waiting]) resume();
  }

  private async turn(signal: AbortSignal): Promise<void> {
    while (this.paced && this.released === 0) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const resume = () => {
          this.waiting.delete(resume);
          resolve();
        };
        this.waiting.add(resume);
        signal.addEventListener('abort', resume, { once: true });
      });
    }
    if (this.released > 0) this.released -= 1;
  }
}

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads Server-Sent Events as they arrive, until `until` says stop (then the connection is
 * dropped, as a client that goes away would) or the server ends the stream.
 */
export async function readEvents(
  response: Response,
  until: (event: SseEvent, all: readonly SseEvent[]) => boolean = () => false,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (!event) continue;
      events.push(event);
      if (until(event, events)) {
        await reader.cancel();
        return events;
      }
    }
  }
}

function parseBlock(block: string): SseEvent | undefined {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const data = fields.get('data');
  if (data === undefined) return undefined;
  return {
    id: fields.get('id'),
    event: fields.get('event') ?? 'message',
    data: JSON.parse(data) as Record<string, unknown>,
  };
}

/** A WebSocket client that collects the frames it receives. */
export interface SocketClient {
  socket: WebSocket;
  frames: Array<{ id?: string; type: string; data: Record<string, unknown> }>;
  send(frame: unknown): void;
  /** Resolves once a frame satisfies `test` (those received already count). */
  frame(test: (frame: SocketClient['frames'][number]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function openSocket(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<SocketClient> {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
  const frames: SocketClient['frames'] = [];
  const listeners = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')) as SocketClient['frames'][number]);
    for (const listener of listeners) listener();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    frame: (test) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!frames.some(test)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

/** The status an upgrade was refused with (the `ws` client reports it as unexpected-response). */
export function refusedUpgrade(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    socket.once('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once('error', () => undefined);
  });
}

/** Calls the API with a dev-issuer token for an account and role. */
export function conversationClient(platform: () => TestPlatform) {
  const tokens = new Map<string, string>();
  async function tokenFor(accountId: string, role: Role = 'editor'): Promise<string> {
    const key = `${accountId}/${role}`;
    const known = tokens.get(key);
    if (known) return known;
    const issuer = platform().devIssuer;
    if (!issuer) throw new Error('the embedded platform trusts a development issuer');
    const token = await issuer.sign({
      accountId,
      roles: [role],
      userId: `${role}-of-${accountId}`,
      ttlSeconds: 900,
    });
    tokens.set(key, token);
    return token;
  }
  async function call(
    as: { accountId: string; role?: Role } | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const token = as ? await tokenFor(as.accountId, as.role) : undefined;
    return fetch(`${platform().url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }
  async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
    const text = await response.text();
    if (response.status !== status) {
      throw new Error(`expected ${status}, got ${response.status}: ${text.slice(0, 500)}`);
    }
    return JSON.parse(text) as T;
  }
  const socketUrl = (conversationId: string, query = '') =>
    `${platform().url.replace(/^http/, 'ws')}/v1/conversations/${conversationId}/ws${query}`;
  return { tokenFor, call, json, socketUrl };
}
