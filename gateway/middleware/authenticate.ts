import type { Middleware } from 'koa';
import type { Actor, RequestContext } from '../../contracts/index.js';
import type { TraceContext } from '../edge/traceContext.js';

/**
 * The authentication seam. Today every caller is the anonymous user; the OIDC/JWT and API-key
 * authenticators plug in here, and everything after this middleware reads only
 * `ctx.state.requestContext`.
 */
export interface Authenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<{
    actor: Actor;
    accountId?: string;
  }>;
}

export const anonymousAuthenticator: Authenticator = {
  async authenticate() {
    return { actor: { type: 'user', id: 'anonymous' } };
  },
};

export function authenticate(authenticator: Authenticator): Middleware {
  return async function authenticateMiddleware(ctx, next) {
    const identity = await authenticator.authenticate(ctx.headers);
    const trace = ctx.state.trace as TraceContext;
    ctx.state.requestContext = {
      correlationId: trace.traceId,
      actor: identity.actor,
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    } satisfies RequestContext;
    await next();
  };
}
