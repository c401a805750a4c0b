import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { LlmFailureKind } from '../../domains/agent/llm/llmProvider.js';

/**
 * The error classes both vendor SDKs define (they come from one generator): matched by class,
 * so that an SDK upgrade that renames one fails the type check rather than the mapping.
 */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error & {
    status: number | undefined;
    headers: Headers | undefined;
    error: unknown;
  };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

export interface ErrorContext {
  provider: string;
  sdk: SdkErrorClasses;
  /** Scrubbed from every message: some servers echo the key they refuse. */
  apiKey: string | undefined;
  timeoutMs: number;
}

/**
 * What a status says about the provider. 402 (billing) and 401/403 are the provider's account,
 * not the request, so they count as `authentication`: another provider may well answer.
 */
export function kindOfStatus(status: number): LlmFailureKind {
  if (status === 401 || status === 402 || status === 403) return 'authentication';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/** Errors sent inside a stream carry a type but no status. */
function kindOfType(type: string): LlmFailureKind {
  if (/rate_limit/.test(type)) return 'rate_limited';
  if (/authentication|permission|billing/.test(type)) return 'authentication';
  if (/invalid_request|not_found|too_large/.test(type)) return 'bad_request';
  if (/timeout/.test(type)) return 'timeout';
  return 'unavailable';
}

/** `retry-after` in seconds or as an HTTP date; OpenAI may also send `retry-after-ms`. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** `text` with every occurrence of the key replaced. */
export function scrubbed(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/** Any failure of an SDK call, as the port's error, with no trace of the API key. */
export function toProviderError(error: unknown, context: ErrorContext): LlmProviderError {
  if (error instanceof LlmProviderError) return error;
  const { provider, sdk, apiKey } = context;
  const fail = (
    kind: LlmFailureKind,
    message: string,
    extra: { status?: number; retryAfterSeconds?: number } = {},
  ) => {
    const safe = scrubbed(message, apiKey);
    const raw = error instanceof Error ? error.message : String(error);
    // The SDK's own error is kept for its stack, unless it would carry the key along.
    const cause = raw === scrubbed(raw, apiKey) ? error : new Error(scrubbed(raw, apiKey));
    return new LlmProviderError(provider, kind, safe, { ...extra, cause });
  };

  if (error instanceof sdk.APIConnectionTimeoutError) {
    return fail('timeout', `${provider} did not answer within ${context.timeoutMs} ms`);
  }
  if (error instanceof sdk.APIConnectionError) {
    return fail('unavailable', `${provider} could not be reached: ${causeOf(error)}`);
  }
  if (error instanceof sdk.APIError) {
    const detail = vendorDetail(error.error);
    if (error.status === undefined) {
      return fail(
        kindOfType(detail.type ?? ''),
        `${provider} failed mid-answer: ${detail.message ?? error.message}`,
      );
    }
    const status = error.status;
    const kind = detail.code === 'content_filter' ? 'content_filtered' : kindOfStatus(status);
    const retryAfter = retryAfterSeconds(error.headers);
    const wait = retryAfter === undefined ? '' : ` (retry after ${retryAfter} s)`;
    return fail(kind, `${provider} answered ${status}: ${detail.message ?? error.message}${wait}`, {
      status,
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    });
  }
  // Undici's "terminated" (connection dropped mid-body), a malformed event, and the like.
  const message = error instanceof Error ? error.message : String(error);
  return fail('unavailable', `${provider} broke off its answer: ${message}`);
}

/** The `{message, type, code}` of either vendor's error body (OpenAI nests it one level less). */
function vendorDetail(body: unknown): { message?: string; type?: string; code?: string } {
  const outer = (body ?? {}) as Record<string, unknown>;
  const inner = (typeof outer.error === 'object' && outer.error ? outer.error : outer) as Record<
    string,
    unknown
  >;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { message: text(inner.message), type: text(inner.type), code: text(inner.code) };
}

function causeOf(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return [error.message, cause?.message, typeof code === 'string' ? code : undefined]
    .filter(Boolean)
    .join(': ');
}
