import Router from '@koa/router';
import { z } from 'zod';
import { AwpError, assertPermitted, parseInput } from '../../../contracts/index.js';
import type { Clock, Queryable, RequestContext } from '../../../contracts/index.js';
import { findTenant } from '../queries/tenantQueries.js';
import type { PlatformTenantDirectory } from '../usage/tenantDirectory.js';
import { usageReportOf } from '../usage/usageReport.js';

export interface TenantRoutesDeps {
  db: Queryable;
  /** The same directory the gateway asks, so the usage report shows the tier the gate applies. */
  directory: PlatformTenantDirectory;
  clock: Clock;
}

/**
 * A tenant reads only itself: the id is compared with the caller's account and anything else
 * answers 404, so its form is not checked (a 400 for another account's id would tell apart ids
 * that exist from ids that cannot). Accounts named by a JWT or `X-AWP-Account` need not be UUIDs.
 */
const accountParams = z.object({ accountId: z.string().min(1).max(200) });

/**
 * `/v1/tenants/{accountId}…`: a tenant reads its own record and usage. Another account's id
 * answers 404 exactly like an unknown one, so ids cannot be probed for existence. The operator
 * reads any tenant through `/v1/admin/tenants/{accountId}` (tenantAdminRoutes.ts).
 */
export function createTenantRoutes(deps: TenantRoutesDeps): Router {
  const router = new Router();

  router.get('/v1/tenants/:accountId', async function getOwnTenantRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    assertPermitted(request, 'tenant:read');
    const { accountId } = parseInput(accountParams, ctx.params, 'tenant id');
    const tenant = ownAccount(request, accountId)
      ? await findTenant(deps.db, request.accountId)
      : null;
    if (!tenant) throw new AwpError('not_found', `tenant '${accountId}' does not exist`);
    ctx.body = tenant;
  });

  router.get('/v1/tenants/:accountId/usage', async function getOwnUsageRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    assertPermitted(request, 'tenant:read');
    const { accountId } = parseInput(accountParams, ctx.params, 'tenant id');
    if (!ownAccount(request, accountId)) {
      throw new AwpError('not_found', `tenant '${accountId}' does not exist`);
    }
    ctx.body = await usageReportOf(deps.db, deps.directory, request.accountId, deps.clock.now());
  });

  return router;
}

/** Account ids are compared as the authenticator stores them: lower case. */
function ownAccount(request: { accountId: string }, accountId: string): boolean {
  return request.accountId.toLowerCase() === accountId.toLowerCase();
}
