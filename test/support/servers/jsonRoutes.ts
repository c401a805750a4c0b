import { sendJson } from './httpServer.js';
import type { RecordedRequest, RequestHandler } from './httpServer.js';

/** What a JSON route answers; `body` undefined sends no body. */
export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A recorded request plus the values of the route's `:name` path segments, decoded. */
export interface RouteRequest extends RecordedRequest {
  params: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest) => JsonReply | Promise<JsonReply>;

/** `path` is a pattern such as `/orders/:orderId`; the first route that matches answers. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handle: RouteHandler;
}

/** An RFC 9457 problem document, the error shape of the customer API stand-ins. */
export function problem(
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): JsonReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra },
  };
}

const notFound: RouteHandler = (request) =>
  problem(404, 'Not Found', `no route for ${request.method} ${request.path}`);

/** Dispatches to `routes` by method and path; `fallback` answers what no route matches. */
export function routeRequests(routes: Route[], fallback: RouteHandler = notFound): RequestHandler {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/') }));
  return async function answerJsonRoute(request, response) {
    let reply: JsonReply | undefined;
    for (const { route, segments } of compiled) {
      if (route.method !== request.method) continue;
      const params = matchPath(segments, request.path);
      if (params === undefined) continue;
      reply = await route.handle({ ...request, params });
      break;
    }
    reply ??= await fallback({ ...request, params: {} });
    sendJson(response, reply.status, reply.body, reply.headers);
  };
}

function matchPath(pattern: string[], path: string): Record<string, string> | undefined {
  const actual = path.split('/');
  if (actual.length !== pattern.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    const value = actual[index] as string;
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
      const decoded = decodeSegment(value);
      if (decoded === undefined) return undefined;
      params[segment.slice(1)] = decoded;
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined; // malformed percent-encoding: no route matches, so the fallback answers
  }
}

/** Answers 401 with a Bearer challenge unless `Authorization: Bearer <token>` is sent. */
export function requireBearer(token: string, handle: RouteHandler): RouteHandler {
  return function checkBearerToken(request) {
    if (request.headers.authorization === `Bearer ${token}`) return handle(request);
    return {
      ...problem(401, 'Unauthorized', 'a valid bearer token is required'),
      headers: {
        'content-type': 'application/problem+json',
        'www-authenticate': 'Bearer realm="customer-api"',
      },
    };
  };
}

/** Answers 401 unless the API key header (lower-case name) carries `key`. */
export function requireApiKey(header: string, key: string, handle: RouteHandler): RouteHandler {
  return function checkApiKey(request) {
    if (request.headers[header] === key) return handle(request);
    return problem(401, 'Unauthorized', `a valid API key is required in the ${header} header`);
  };
}
