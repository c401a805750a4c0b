import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer } from '../servers/httpServer.js';
import type { RecordedRequest } from '../servers/httpServer.js';
import { answerMessages } from './fakeAnthropicMessages.js';
import { ReplyQueue, bearerOf, hang, pause } from './replyScript.js';
import type { FakeReply, ReplyHandler, ScriptedError } from './replyScript.js';

export interface FakeAnthropicServerOptions {
  /** The key clients must send (`x-api-key`, or `Authorization: Bearer`). Default `sk-ant-fake-key`. */
  apiKey?: string;
  replies?: readonly FakeReply[];
  handler?: ReplyHandler;
}

/** Anthropic's Messages API on 127.0.0.1, answering from a script. */
export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`: the SDK's `baseURL` (it adds `/v1/messages`). */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** The parsed bodies of the `POST /v1/messages` requests, oldest first. */
  messageBodies(): Record<string, unknown>[];
  reply(...replies: FakeReply[]): void;
  handle(handler: ReplyHandler | undefined): void;
  /** Between tests: forgets the script, the handler and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Starts the fake; tests call `close()` when done. */
export async function startFakeAnthropicServer(
  options: FakeAnthropicServerOptions = {},
): Promise<FakeAnthropicServer> {
  const apiKey = options.apiKey ?? 'sk-ant-fake-key';
  const replies = new ReplyQueue(options.replies, options.handler);

  const server = await startHttpServer(async (request, response, signal) => {
    // SDKs send the key as x-api-key (the documented header) or, since 1.x, as a bearer token.
    const key = request.headers['x-api-key'] ?? bearerOf(request);
    if (key !== apiKey) {
      return sendError(response, { status: 401, message: 'invalid x-api-key' });
    }
    if (!request.headers['anthropic-version']) {
      return sendError(response, {
        status: 400,
        message: 'anthropic-version: header is required',
      });
    }
    if (`${request.method} ${request.path}` !== 'POST /v1/messages') {
      return sendError(response, { status: 404, message: `Not found: ${request.path}` });
    }
    const problem = invalidBody(request.body);
    if (problem) return sendError(response, { status: 400, message: problem });
    const reply = await replies.next(request);
    if (reply.hang) return hang(signal);
    if (reply.error) {
      if (!(await pause(reply.firstTokenDelayMs, signal))) return;
      return sendError(response, reply.error);
    }
    await answerMessages(request, response, reply, signal);
  });

  return {
    baseUrl: server.baseUrl,
    apiKey,
    requests: server.requests,
    messageBodies: () =>
      server.requests
        .filter((r) => r.path === '/v1/messages')
        .map((r) => r.body as Record<string, unknown>),
    reply: (...more) => replies.push(...more),
    handle: (handler) => replies.handleWith(handler),
    reset: () => {
      replies.clear();
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** The checks of the real API that an adapter could fall foul of. */
function invalidBody(body: unknown): string | undefined {
  const b = body as { model?: unknown; max_tokens?: unknown; messages?: unknown } | undefined;
  if (typeof b?.model !== 'string') return 'model: Field required';
  if (typeof b.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return 'messages: at least one message is required';
  }
  const roles = (b.messages as { role?: unknown }[]).map((m) => m.role);
  if (roles.some((role) => role !== 'user' && role !== 'assistant')) {
    return `messages: Unexpected role. Allowed roles are "user" or "assistant"; a system prompt goes in the top-level "system" field`;
  }
  if (roles[0] !== 'user') return 'messages: first message must use the "user" role';
  return undefined;
}

/** An error in Anthropic's format: `{"type":"error","error":{"type","message"}}`. */
function sendError(response: ServerResponse, error: ScriptedError): void {
  sendJson(
    response,
    error.status,
    {
      type: 'error',
      error: {
        type: error.type ?? errorTypes[error.status] ?? 'api_error',
        message:
          error.message ?? (error.status === 529 ? 'Overloaded' : `fake error ${error.status}`),
      },
      request_id: `req_${randomUUID()}`,
    },
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) },
  );
}
