import { randomBytes } from 'node:crypto';
import { AwpError } from '../../contracts/index.js';
import { errorFromProblem } from '../../gateway/index.js';

/**
 * The headers of a call one AWP service makes to another for a user: the user's own credential,
 * so the other service authorizes the call as if the user made it, and the request's trace
 * continued (a W3C `traceparent` with the correlation id as its trace id).
 */
export function forwardedHeaders(
  credentials: { authorization?: string; account?: string; user?: string } | undefined,
  correlationId: string,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (/^[0-9a-f]{32}$/.test(correlationId)) {
    headers.traceparent = `00-${correlationId}-${randomBytes(8).toString('hex')}-01`;
  }
  if (credentials?.authorization) headers.authorization = credentials.authorization;
  if (credentials?.account) headers['x-awp-account'] = credentials.account;
  if (credentials?.user) headers['x-awp-user'] = credentials.user;
  return headers;
}

/**
 * The error a refused call made with the user's forwarded credential stands for. A 401 over
 * there, for a credential this service has just accepted, means the two services do not trust
 * the same issuers: the operator's to fix, so it is `unavailable`, not the user's `unauthorized`.
 */
export function forwardedCallError(what: string, status: number, body: unknown): AwpError {
  if (status === 401) {
    return new AwpError(
      'unavailable',
      `${what}: the other service did not accept the credential this one accepted; both must ` +
        'trust the same issuers (AWP_OIDC_ISSUERS)',
    );
  }
  return errorFromProblem(what, status, body);
}
