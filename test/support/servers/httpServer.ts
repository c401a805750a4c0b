import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it, kept for assertions. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, still percent-encoded as sent. */
  path: string;
  /** Query parameters; a name sent more than once keeps every value, in order. */
  query: Record<string, string | string[]>;
  /** Header names are lower-case, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  rawBody: string;
  /** `Date.now()` when the request's body had been read. */
  receivedAt: number;
}

/**
 * Answers one request. `signal` aborts when the client goes away or the server closes, so a
 * handler that delays, streams or hangs can stop instead of keeping the process alive.
 */
export type RequestHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  signal: AbortSignal,
) => void | Promise<void>;

/** A server listening on 127.0.0.1 at a random port. */
export interface StartedHttpServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  port: number;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Stops listening and destroys open sockets, even those of requests still being answered. */
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1:0 that records each request before `handler` sees it. */
export async function startHttpServer(handler: RequestHandler): Promise<StartedHttpServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  const server = createServer((incoming, response) => {
    const signal = AbortSignal.any([closing.signal, abortedWhenGone(response)]);
    void readRequest(incoming)
      .then(async (request) => {
        requests.push(request);
        await handler(request, response, signal);
      })
      .catch((error: unknown) => failRequest(response, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive and hanging connections would hold server.close() (and vitest) open forever.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Writes a JSON body with its content type and length; `headers` may override the type. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': 'application/json' }),
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function abortedWhenGone(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  // 'close' also fires after a normal end; aborting then is harmless since the handler is done.
  response.once('close', () => gone.abort());
  return gone.signal;
}

async function readRequest(incoming: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(incoming.url ?? '/', 'http://stand-in.invalid');
  return {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    query: queryOf(url.searchParams),
    headers: incoming.headers,
    body: parseBody(rawBody, incoming.headers['content-type']),
    rawBody,
    receivedAt: Date.now(),
  };
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

function parseBody(rawBody: string, contentType: string | undefined): unknown {
  if (rawBody === '') return undefined;
  if (!/\bjson\b/i.test(contentType ?? '')) return rawBody;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    // Kept as text so a route can answer 400 and a test can still see what was sent.
    return rawBody;
  }
}

function failRequest(response: ServerResponse, error: unknown): void {
  if (response.destroyed) return;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, 500, { title: 'stand-in server error', detail: String(error) });
}
