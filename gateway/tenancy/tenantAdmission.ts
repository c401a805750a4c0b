import type { Middleware } from 'koa';
import { AwpError } from '../../contracts/index.js';
import type { RequestContext } from '../../contracts/index.js';
import type {
  MeteredAction,
  QuotaGate,
  TenantDirectory,
  TenantStanding,
} from './tenantStanding.js';

/**
 * The metered commands, by route. The gateway admits them before routing, because the budget
 * is the platform domain's and the command the workflow domain's, and neither reads the other.
 */
const meteredRoutes: ReadonlyArray<{ method: string; path: RegExp; action: MeteredAction }> = [
  { method: 'POST', path: /^\/v1\/workflows\/?$/, action: 'create_workflow' },
  { method: 'POST', path: /^\/v1\/workflows\/[^/]+\/executions\/?$/, action: 'start_execution' },
];

/**
 * For a caller acting in an account: refuses a suspended tenant (403) and puts the tenant's
 * standing on `ctx.state.standing`, for the rate limiter. Callers without an account pass.
 */
export function tenantStanding(directory: TenantDirectory): Middleware {
  return async function tenantStandingMiddleware(ctx, next) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    if (!request?.accountId) return next();
    const standing: TenantStanding = await directory.standing(request.accountId);
    if (standing.status === 'suspended') {
      throw new AwpError('forbidden', `account '${request.accountId}' is suspended`);
    }
    ctx.state.standing = standing;
    await next();
  };
}

/** Admits metered commands against the tier's quotas (429 naming the limit). */
export function quotaAdmission(quotas: QuotaGate): Middleware {
  return async function quotaAdmissionMiddleware(ctx, next) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    const metered = request?.accountId
      ? meteredRoutes.find((route) => route.method === ctx.method && route.path.test(ctx.path))
      : undefined;
    if (request?.accountId && metered) {
      await quotas.admit(request.accountId, metered.action, {
        correlationId: request.correlationId,
      });
    }
    await next();
  };
}
