import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { isAwpError } from '../../contracts/index.js';
import { OutboundFailure } from '../../domains/workflow/ports/outboundHttp.js';
import type {
  OutboundCallOptions,
  OutboundHttp,
  OutboundHttpRequest,
  OutboundHttpResponse,
} from '../../domains/workflow/ports/outboundHttp.js';
import type { HostResolver } from './guardedLookup.js';
import { readBounded } from './boundedBody.js';
import { guardedRequest } from './guardedRequest.js';
import type { OutboundPolicy } from './outboundPolicy.js';
import { createGuardedDispatcher } from './ssrfGuard.js';

export interface OutboundHttpOptions {
  /** The account's allow-list (what the SSRF guard lets through besides public addresses). */
  policyFor(accountId: string): OutboundPolicy | Promise<OutboundPolicy>;
  /** Whole-call limit, response body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** Largest response body read; a bigger one fails the call. Default 10 MiB. */
  maxResponseBytes?: number;
  resolve?: HostResolver;
}

/**
 * The engine's outbound HTTP: every call goes through the SSRF-guarded dispatcher of the
 * account's policy (one per distinct allow-list, reused), follows redirects hop by hop through
 * the same guard, and is cut off past its time or size limit.
 */
export function createOutboundHttp(
  options: OutboundHttpOptions,
): OutboundHttp & { close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const dispatchers = new Map<string, Dispatcher>();

  function dispatcherFor(policy: OutboundPolicy): Dispatcher {
    const key = JSON.stringify([...policy.allowHosts].sort());
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createGuardedDispatcher(
        policy,
        options.resolve ? { resolve: options.resolve } : {},
      );
      if (dispatchers.size >= 256) {
        const [oldestKey, oldest] = dispatchers.entries().next().value as [string, Dispatcher];
        dispatchers.delete(oldestKey);
        void oldest.close();
      }
      dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async function send(
    request: OutboundHttpRequest,
    call: OutboundCallOptions,
  ): Promise<OutboundHttpResponse> {
    const policy = await options.policyFor(call.accountId);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([call.signal, deadline]);
    try {
      const response = await guardedRequest(
        request.url,
        {
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          maxRedirects: request.maxRedirects,
          signal,
        },
        { dispatcher: dispatcherFor(policy), policy },
      );
      const body = new Uint8Array(
        await readBounded(
          response.body,
          maxBytes,
          () =>
            new OutboundFailure(
              'too_large',
              `the response of ${request.url.split('?')[0]} is larger than ${maxBytes} bytes`,
            ),
        ),
      );
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return {
        status: response.statusCode,
        statusText: statusTextOf(response.statusCode),
        headers,
        body,
        url: response.url.toString(),
      };
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      throw failureOf(error, deadline.aborted, timeoutMs);
    }
  }

  return {
    send,
    async close() {
      await Promise.allSettled([...dispatchers.values()].map((d) => d.close()));
      dispatchers.clear();
    },
  };
}

function failureOf(error: unknown, timedOut: boolean, timeoutMs: number): Error {
  if (error instanceof OutboundFailure) return error;
  if (timedOut)
    return new OutboundFailure('timeout', `no complete response within ${timeoutMs} ms`);
  const cause = (error as { cause?: unknown }).cause;
  for (const candidate of [error, cause]) {
    if (isAwpError(candidate) && candidate.code === 'forbidden') {
      return new OutboundFailure('refused', candidate.message);
    }
    if (isAwpError(candidate)) return new OutboundFailure('network', candidate.message);
  }
  const message = (error as Error).message ?? String(error);
  return new OutboundFailure('network', message);
}

function statusTextOf(status: number): string {
  return STATUS_CODES[status] ?? '';
}
