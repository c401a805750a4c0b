import { randomBytes } from 'node:crypto';

/**
 * The headers of a call one AWP service makes to another for a user: the user's own credential,
 * so the other service authorizes the call as if the user made it, and the request's trace
 * continued (a W3C `traceparent` with the correlation id as its trace id).
 */
export function forwardedHeaders(
  credentials: { authorization?: string; account?: string } | undefined,
  correlationId: string,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (/^[0-9a-f]{32}$/.test(correlationId)) {
    headers.traceparent = `00-${correlationId}-${randomBytes(8).toString('hex')}-01`;
  }
  if (credentials?.authorization) headers.authorization = credentials.authorization;
  if (credentials?.account) headers['x-awp-account'] = credentials.account;
  return headers;
}
