import type { Middleware } from 'koa';
import { isAwpError } from '../../contracts/index.js';
import type { AuthEventData, RequestContext } from '../../contracts/index.js';
import type { Identity } from './identity.js';

/** Where the gateway's audit entries go: `AuthEvent`s in the event log. */
export interface AuditLog {
  record(entry: { request: RequestContext; data: AuthEventData }): Promise<void>;
}

const methodOf = {
  jwt: 'oidc',
  api_key: 'api_key',
  dev_header: 'dev_header',
  none: 'oidc',
} as const;

/**
 * Records every refusal of an authenticated caller inside its own account (403) as an
 * `AuthEvent` (outcome `forbidden`, the permission it lacked, its roles). At most one entry per
 * caller and reason a minute: a client retrying in a loop must not flood the audit log.
 * Failing to record never changes the response.
 */
export function auditDenials(deps: {
  audit: AuditLog;
  onError(error: unknown): void;
  now?: () => number;
}): Middleware {
  const lastRecorded = new Map<string, number>();
  const now = deps.now ?? Date.now;
  return async function auditDenialsMiddleware(ctx, next) {
    try {
      await next();
    } catch (error) {
      const request = ctx.state.requestContext as RequestContext | undefined;
      const identity = ctx.state.identity as Identity | undefined;
      if (isAwpError(error) && error.code === 'forbidden' && request?.accountId && identity) {
        const key = `${request.accountId}\u0000${identity.actor.id}\u0000${error.message}`;
        const at = now();
        if ((lastRecorded.get(key) ?? -Infinity) <= at - 60_000) {
          if (lastRecorded.size > 10_000) lastRecorded.clear();
          lastRecorded.set(key, at);
          await deps.audit
            .record({
              request,
              data: {
                outcome: 'forbidden',
                method: methodOf[identity.credential],
                subjectId: identity.actor.id,
                reason: `${ctx.method} ${ctx.path}: ${error.message}`.slice(0, 500),
                remoteAddress: ctx.ip || null,
                permission: error.details.field ?? null,
                roles: [...identity.roles],
                label: null,
              },
            })
            .catch(deps.onError);
        }
      }
      throw error;
    }
  };
}
