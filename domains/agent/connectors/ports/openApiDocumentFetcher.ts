/**
 * Fetches a tenant's OpenAPI document from the URL it named (a connector imported by URL).
 * The adapter (infra/http) goes through the SSRF guard: http(s) only, no loopback, private,
 * link-local or metadata address unless the allow-list permits it, a size cap and a timeout.
 *
 * Throws `AwpError`: `validation` (field `url`) when the URL is refused, not found (4xx) or
 * answers something too large or not text; `unavailable` when the server cannot be reached,
 * answers 5xx or is too slow. Messages name the origin only, never a path or query (tokens).
 */
export interface OpenApiDocumentFetcher {
  /** `accountId` chooses the allow-list when the adapter keeps one per tenant. */
  fetch(
    url: string,
    signal: AbortSignal,
    accountId?: string,
  ): Promise<{ body: string; contentType?: string }>;
}
