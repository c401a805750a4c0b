import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer } from '../servers/httpServer.js';
import type { RecordedRequest } from '../servers/httpServer.js';
import { answerChat } from './fakeOpenAiChat.js';
import { base64Embedding, fakeEmbedding } from './fakeEmbeddings.js';
import { ReplyQueue, bearerOf, hang, maskedKey, pause } from './replyScript.js';
import type { FakeReply, ReplyHandler, ScriptedError } from './replyScript.js';

export interface FakeOpenAiServerOptions {
  /** The key clients must send as `Authorization: Bearer`. Default `sk-fake-openai-key`. */
  apiKey?: string;
  replies?: readonly FakeReply[];
  handler?: ReplyHandler;
  /** Length of embedding vectors. Default 8. */
  embeddingDimension?: number;
  /** Listed by GET /v1/models. */
  models?: readonly string[];
}

/** A text's vector, of `dimension` numbers. */
export type Embedder = (text: string, dimension: number) => number[];

/** An OpenAI-compatible API on 127.0.0.1, answering from a script. */
export interface FakeOpenAiServer {
  /** `http://127.0.0.1:<port>/v1`: the SDK's `baseURL`. */
  baseUrl: string;
  apiKey: string;
  /** Every request received, any path, oldest first. */
  requests: RecordedRequest[];
  /** The parsed bodies of the chat completion requests, oldest first. */
  chatBodies(): Record<string, unknown>[];
  /** Queues replies for the next chat completions. */
  reply(...replies: FakeReply[]): void;
  /** Answers chat completions that find the queue empty (undefined: `{ text: 'ok' }`). */
  handle(handler: ReplyHandler | undefined): void;
  /** Makes the next embeddings requests fail, one error each. */
  failEmbeddings(...errors: ScriptedError[]): void;
  /**
   * Computes the vectors instead of the default hash (which gives unrelated texts unrelated
   * vectors and nothing more): a test that needs meaning scripts it; undefined restores it.
   */
  embedWith(embedder: Embedder | undefined): void;
  /** Between tests: forgets the script, the handler and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const defaultTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'requests',
};

/** Starts the fake; tests call `close()` when done. */
export async function startFakeOpenAiServer(
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  const apiKey = options.apiKey ?? 'sk-fake-openai-key';
  const dimension = options.embeddingDimension ?? 8;
  const replies = new ReplyQueue(options.replies, options.handler);
  const embeddingErrors: ScriptedError[] = [];
  let embedder: Embedder = fakeEmbedding;

  const server = await startHttpServer(async (request, response, signal) => {
    if (bearerOf(request) !== apiKey) {
      // OpenAI shows the refused key masked; a client must not show even that much of its own.
      const shown = bearerOf(request);
      return sendError(response, {
        status: 401,
        message: `Incorrect API key provided: ${shown ? maskedKey(shown) : '(none)'}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        code: 'invalid_api_key',
      });
    }
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /v1/models') return listModels(response, options.models ?? ['fake-model']);
    if (route === 'POST /v1/embeddings') {
      const error = embeddingErrors.shift();
      if (error) return sendError(response, error);
      return embed(request, response, dimension, embedder);
    }
    if (route !== 'POST /v1/chat/completions') {
      return sendError(response, { status: 404, message: `Unknown request URL: ${route}` });
    }
    const body = request.body as { model?: unknown; messages?: unknown } | undefined;
    if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
      return sendError(response, {
        status: 400,
        message: "you must provide a model parameter and a 'messages' array",
      });
    }
    const reply = await replies.next(request);
    if (reply.hang) return hang(signal);
    if (reply.error) {
      if (!(await pause(reply.firstTokenDelayMs, signal))) return;
      return sendError(response, reply.error);
    }
    await answerChat(request, response, reply, signal);
  });

  return {
    baseUrl: `${server.baseUrl}/v1`,
    apiKey,
    requests: server.requests,
    chatBodies: () =>
      server.requests
        .filter((r) => r.path === '/v1/chat/completions')
        .map((r) => r.body as Record<string, unknown>),
    reply: (...more) => replies.push(...more),
    handle: (handler) => replies.handleWith(handler),
    reset: () => {
      replies.clear();
      embeddingErrors.length = 0;
      embedder = fakeEmbedding;
      server.requests.length = 0;
    },
    failEmbeddings: (...errors) => embeddingErrors.push(...errors),
    embedWith: (given) => {
      embedder = given ?? fakeEmbedding;
    },
    close: () => server.close(),
  };
}

/** An error in OpenAI's format: `{"error":{"message","type","param","code"}}`. */
function sendError(response: ServerResponse, error: ScriptedError): void {
  const type = error.type ?? defaultTypes[error.status] ?? 'server_error';
  sendJson(
    response,
    error.status,
    {
      error: {
        message: error.message ?? `fake error ${error.status}`,
        type,
        param: null,
        code: error.code ?? (error.status === 429 ? 'rate_limit_exceeded' : null),
      },
    },
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) },
  );
}

function listModels(response: ServerResponse, models: readonly string[]): void {
  sendJson(response, 200, {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
  });
}

function embed(
  request: RecordedRequest,
  response: ServerResponse,
  dimension: number,
  embedder: Embedder,
): void {
  const body = request.body as { input?: unknown; model?: string; encoding_format?: string };
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === 'string')) {
    return sendError(response, { status: 400, message: "'input' must be a string or strings" });
  }
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((n, input) => n + Math.ceil(input.length / 4), 0);
  sendJson(response, 200, {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embedder(input, dimension);
      return { object: 'embedding', index, embedding: base64 ? base64Embedding(vector) : vector };
    }),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
