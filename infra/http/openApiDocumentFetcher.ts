import type { Dispatcher } from 'undici';
import { AwpError, isAwpError } from '../../contracts/index.js';
import type { OpenApiDocumentFetcher } from '../../domains/agent/connectors/ports/openApiDocumentFetcher.js';
import type { HostResolver } from './guardedLookup.js';
import { readBounded } from './boundedBody.js';
import { guardedRequest } from './guardedRequest.js';
import type { OutboundPolicy } from './outboundPolicy.js';
import { checkOutboundUrl, createGuardedDispatcher } from './ssrfGuard.js';

export interface OpenApiDocumentFetcherOptions {
  /**
   * Hosts, ports and ranges fetched besides public addresses (the SSRF guard's allow-list
   * syntax: `127.0.0.1:8080`, `10.0.0.0/8`). Default: none.
   */
  allowHosts?: readonly string[];
  /** The tenant's own allow-list, added to `allowHosts` when the caller names the account. */
  policyFor?(accountId: string): OutboundPolicy | Promise<OutboundPolicy>;
  /** Largest document read; a bigger one is refused. Default 2 MiB. */
  maxBytes?: number;
  /** The whole fetch, body included. Default 15 000 ms. */
  timeoutMs?: number;
  resolve?: HostResolver;
}

const accept = 'application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.1';
/** Dispatchers kept, one per distinct allow-list, before the oldest is closed. */
const maxDispatchers = 64;

/**
 * Connector documents fetched by URL through the SSRF guard (every redirect hop checked
 * again), cut off past `maxBytes` or `timeoutMs`. Refusals name the origin only.
 */
export function createOpenApiDocumentFetcher(
  options: OpenApiDocumentFetcherOptions = {},
): OpenApiDocumentFetcher & { close(): Promise<void> } {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const dispatchers = new Map<string, Dispatcher>();

  function dispatcherFor(policy: OutboundPolicy): Dispatcher {
    const key = JSON.stringify([...policy.allowHosts].sort());
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createGuardedDispatcher(
        policy,
        options.resolve ? { resolve: options.resolve } : {},
      );
      if (dispatchers.size >= maxDispatchers) {
        const [oldestKey, oldest] = dispatchers.entries().next().value as [string, Dispatcher];
        dispatchers.delete(oldestKey);
        void oldest.close();
      }
      dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async function policyOf(accountId: string | undefined): Promise<OutboundPolicy> {
    const tenant = accountId && options.policyFor ? await options.policyFor(accountId) : undefined;
    return { allowHosts: [...(options.allowHosts ?? []), ...(tenant?.allowHosts ?? [])] };
  }

  return {
    async fetch(url, signal, accountId) {
      const policy = await policyOf(accountId);
      const target = originOf(url);
      const deadline = AbortSignal.timeout(timeoutMs);
      try {
        checkOutboundUrl(url, policy);
        const response = await guardedRequest(
          url,
          { method: 'GET', headers: { accept }, signal: AbortSignal.any([signal, deadline]) },
          { dispatcher: dispatcherFor(policy), policy },
        );
        if (response.statusCode < 200 || response.statusCode > 299) {
          await response.body.dump();
          throw statusFailure(response.statusCode, target);
        }
        const declared = Number(response.headers['content-length'] ?? NaN);
        if (declared > maxBytes) {
          await response.body.dump();
          throw tooLarge(target, maxBytes);
        }
        const body = await readText(response.body, maxBytes, target);
        const contentType = response.headers['content-type'];
        return { body, ...(typeof contentType === 'string' ? { contentType } : {}) };
      } catch (error) {
        throw failureOf(error, target, deadline.aborted && !signal.aborted, timeoutMs);
      }
    },
    async close() {
      await Promise.allSettled([...dispatchers.values()].map((d) => d.close()));
      dispatchers.clear();
    },
  };
}

async function readText(
  body: AsyncIterable<Uint8Array> & { destroy(): void },
  maxBytes: number,
  target: string,
): Promise<string> {
  const bytes = await readBounded(body, maxBytes, () => tooLarge(target, maxBytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refused(`the document at ${target} is not UTF-8 text`);
  }
}

const refused = (message: string) => new AwpError('validation', message, { field: 'url' });

function tooLarge(target: string, maxBytes: number): AwpError {
  const mib = 1024 * 1024;
  const limit = maxBytes % mib === 0 ? `${maxBytes / mib} MiB` : `${maxBytes} bytes`;
  return refused(`the document at ${target} is larger than ${limit}`);
}

function statusFailure(status: number, target: string): AwpError {
  const message = `fetching the document from ${target} answered HTTP ${status}`;
  return status >= 500 || status === 429
    ? new AwpError('unavailable', message, { retryable: true })
    : refused(message);
}

/** The guard's refusal is the caller's to fix (their URL or allow-list): a `validation` error. */
function failureOf(error: unknown, target: string, timedOut: boolean, timeoutMs: number): AwpError {
  const candidates = [error, (error as { cause?: unknown })?.cause];
  const known = candidates.find(isAwpError);
  if (known?.code === 'forbidden') return refused(`the document URL was refused: ${known.message}`);
  if (known) return known;
  if (timedOut) {
    return new AwpError('unavailable', `${target} sent no document within ${timeoutMs} ms`);
  }
  const reason = (error as { code?: string })?.code ?? 'network error';
  return new AwpError('unavailable', `fetching the document from ${target} failed (${reason})`, {
    cause: error,
  });
}

/** `https://host:port`: never a path or query, which can hold tokens. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the document URL';
  }
}
