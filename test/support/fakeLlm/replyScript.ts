import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../servers/httpServer.js';

/** A tool call the fake model makes; object arguments are sent as their JSON text. */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/** An error answer, in the vendor's own format; `type` and `message` default per status. */
export interface ScriptedError {
  status: number;
  message?: string;
  type?: string;
  code?: string | null;
  /** Sent as the `retry-after` header, in seconds. */
  retryAfterSeconds?: number;
}

/** What the fake model answers to one request. */
export interface FakeReply {
  /** Answer text, sent token by token (see `tokensOf`). */
  text?: string;
  /** The tokens to send, instead of splitting `text`. */
  tokens?: readonly string[];
  toolCalls?: readonly ScriptedToolCall[];
  /** Reported usage; by default about four characters a token of the request, a token a token. */
  usage?: { inputTokens: number; outputTokens: number };
  /** The vendor's own finish/stop reason; by default what the answer implies. */
  finishReason?: string;
  error?: ScriptedError;
  /** Takes the request and never answers, not even the status line. */
  hang?: boolean;
  /** Wait after the response has started, before the first token. */
  firstTokenDelayMs?: number;
  /** Wait between tokens. */
  tokenDelayMs?: number;
  /**
   * Breaks the stream after this many tokens: `disconnect` drops the connection, `error_event`
   * sends the vendor's in-stream error (an overloaded/server error).
   */
  breakAfterTokens?: { tokens: number; how: 'disconnect' | 'error_event' };
}

/** Decides the reply from the request (its parsed JSON body, headers and path). */
export type ReplyHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * Replies in order: queued ones first, then the handler, then `{ text: 'ok' }` so that a test
 * not interested in the answer need not script one.
 */
export class ReplyQueue {
  private readonly queue: FakeReply[];
  constructor(
    replies: readonly FakeReply[] = [],
    private handler?: ReplyHandler,
  ) {
    this.queue = [...replies];
  }

  push(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  handleWith(handler: ReplyHandler | undefined): void {
    this.handler = handler;
  }

  /** Forgets queued replies and the handler. */
  clear(): void {
    this.queue.length = 0;
    this.handler = undefined;
  }

  async next(request: RecordedRequest): Promise<FakeReply> {
    const queued = this.queue.shift();
    if (queued) return queued;
    return this.handler ? this.handler(request) : { text: 'ok' };
  }
}

/** Splits text roughly as a tokenizer would: words with their leading space, punctuation apart. */
export function tokensOf(reply: FakeReply): string[] {
  if (reply.tokens) return [...reply.tokens];
  return reply.text?.match(/\s*[\p{L}\p{N}_']+|\s*[^\p{L}\p{N}_'\s]+|\s+/gu) ?? [];
}

/** Arguments JSON of a scripted call, cut into the small pieces vendors stream them in. */
export function argumentPieces(call: ScriptedToolCall): string[] {
  const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
  return text.match(/[\s\S]{1,7}/g) ?? [];
}

/** The arguments of a scripted call as the JSON text a vendor sends. */
export function argumentsText(call: ScriptedToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** The usage the fake reports: scripted, or estimated from the request and the answer. */
export function usageOf(reply: FakeReply, requestBody: string, outputPieces: number) {
  return (
    reply.usage ?? {
      inputTokens: Math.max(1, Math.ceil(requestBody.length / 4)),
      outputTokens: Math.max(1, outputPieces),
    }
  );
}

/** Waits `ms`; resolves false at once when `signal` aborts (the client went away). */
export function pause(ms: number | undefined, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (!ms) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (still: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      resolve(still);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** Keeps the request open, unanswered, until the client or the server goes away. */
export function hang(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Starts a `text/event-stream` response; `send` writes one event (no name: data only). */
export function startEventStream(response: ServerResponse, headers: Record<string, string> = {}) {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  response.flushHeaders();
  return {
    send(data: unknown, event?: string): void {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      response.write(`${event ? `event: ${event}\n` : ''}data: ${text}\n\n`);
    },
    end(): void {
      response.end();
    },
    /**
     * Drops the connection mid-stream, as a crashed server would. Closed with FIN after what
     * was written, not reset: a reset may make the client discard bytes it has not read yet,
     * and the test could not know which tokens arrived.
     */
    disconnect(): void {
      response.socket?.end();
    },
  };
}

/** The bearer token of an Authorization header, if it carries one. */
export function bearerOf(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}

/** How vendors show a key they refuse: its start and end, the rest masked. */
export function maskedKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 3)}****${key.slice(-4)}`;
}
