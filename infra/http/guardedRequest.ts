import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { AwpError } from '../../contracts/index.js';
import { originOf, refusedCall, targetOfUrl } from './outboundDecision.js';
import type { OutboundPolicy } from './outboundPolicy.js';
import { checkOutboundUrl } from './ssrfGuard.js';

/** One outbound HTTP call as the engine makes it. */
export interface OutboundRequest {
  readonly method?: Dispatcher.HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body that can be sent again, as a 307/308 redirect requires. */
  readonly body?: string | Uint8Array;
  /** How many redirects to follow; 0 returns the 3xx response itself. Default: 5. */
  readonly maxRedirects?: number;
  readonly signal?: AbortSignal;
}

export interface GuardedRequestContext {
  /** A dispatcher from `createGuardedDispatcher` for the same policy. */
  readonly dispatcher: Dispatcher;
  readonly policy: OutboundPolicy;
}

export interface GuardedResponse extends Dispatcher.ResponseData {
  /** The URL that produced this response, after redirects. */
  readonly url: URL;
  /** Every URL redirected to, in order. */
  readonly redirects: readonly URL[];
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Headers meant for one origin only: credentials, and a Host a caller may have set. */
const originBoundHeaders = ['authorization', 'cookie', 'proxy-authorization', 'host'];
const bodyHeaders = ['content-type', 'content-length', 'content-encoding', 'content-language'];

/**
 * Makes a call and follows its redirects one hop at a time, so that each hop passes the same
 * guard as the first: `checkOutboundUrl` before it is requested (scheme, credentials, port, IP
 * literals) and the guarded dispatcher when its connection opens (what the name resolves to). It
 * also refuses https→http downgrades and, like browsers, drops credentials when the origin
 * changes. The engine follows redirects only through here, never with fetch's `redirect:
 * 'follow'` or undici's redirect interceptor, whose hops the dispatcher guards but nothing else.
 */
export async function guardedRequest(
  url: string | URL,
  init: OutboundRequest,
  context: GuardedRequestContext,
): Promise<GuardedResponse> {
  const maxRedirects = init.maxRedirects ?? 5;
  const redirects: URL[] = [];
  let current = checkOutboundUrl(url, context.policy);
  let hop: Hop = { method: init.method ?? 'GET', headers: { ...init.headers }, body: init.body };

  for (;;) {
    const response = await request(current, {
      dispatcher: context.dispatcher,
      method: hop.method,
      headers: hop.headers,
      body: hop.body,
      signal: init.signal,
    });
    const location = response.headers.location;
    if (!redirectStatuses.has(response.statusCode) || typeof location !== 'string') {
      return Object.assign(response, { url: current, redirects });
    }
    if (maxRedirects === 0) return Object.assign(response, { url: current, redirects });
    await response.body.dump();
    if (redirects.length >= maxRedirects) {
      throw new AwpError(
        'unavailable',
        `outbound call to ${originOf(targetOfUrl(current))} was redirected more than ${maxRedirects} times`,
        { retryable: false },
      );
    }
    const next = nextUrl(current, location, response.statusCode, context.policy);
    hop = nextHop(hop, response.statusCode, current, next);
    redirects.push(next);
    current = next;
  }
}

function nextUrl(current: URL, location: string, status: number, policy: OutboundPolicy): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new AwpError(
      'unavailable',
      `outbound call to ${originOf(targetOfUrl(current))} answered ${status} with an invalid Location`,
      { retryable: false },
    );
  }
  const checked = checkOutboundUrl(next, policy);
  if (current.protocol === 'https:' && checked.protocol === 'http:') {
    throw refusedCall(targetOfUrl(checked), {
      reason: `a redirect from ${originOf(targetOfUrl(current))} may not downgrade to plain http`,
      overridable: false,
    });
  }
  return checked;
}

type Hop = {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string | Uint8Array;
};

/** The Fetch standard's rules: 303 (and 301/302 after POST) become a GET without a body. */
function nextHop(hop: Hop, status: number, from: URL, to: URL): Hop {
  const toGet =
    (status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD') ||
    ((status === 301 || status === 302) && hop.method === 'POST');
  const drop = [
    ...(from.origin !== to.origin ? originBoundHeaders : []),
    ...(toGet ? bodyHeaders : []),
  ];
  const headers = Object.fromEntries(
    Object.entries(hop.headers).filter(([name]) => !drop.includes(name.toLowerCase())),
  );
  return toGet ? { method: 'GET', headers } : { ...hop, headers };
}
