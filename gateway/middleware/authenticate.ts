import type { Middleware } from 'koa';
import type { RequestContext } from '../../contracts/index.js';
import { anonymousIdentity } from '../auth/identity.js';
import type { Identity } from '../auth/identity.js';
import type { TraceContext } from '../edge/traceContext.js';

/**
 * The authentication seam: turns a request's headers into the caller's identity, or refuses
 * them with `AwpError('unauthorized')`. Everything after this middleware reads only
 * `ctx.state.requestContext` (and `ctx.state.identity`).
 */
export interface Authenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<Identity>;
}

export const anonymousAuthenticator: Authenticator = {
  async authenticate() {
    return anonymousIdentity;
  },
};

export function authenticate(authenticator: Authenticator): Middleware {
  return async function authenticateMiddleware(ctx, next) {
    const identity = await authenticator.authenticate(ctx.headers);
    const trace = ctx.state.trace as TraceContext;
    ctx.state.identity = identity;
    ctx.state.requestContext = {
      correlationId: trace.traceId,
      actor: identity.actor,
      ...(identity.accountId ? { accountId: identity.accountId, roles: identity.roles } : {}),
    } satisfies RequestContext;
    await next();
  };
}
