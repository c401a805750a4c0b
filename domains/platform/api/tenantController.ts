import { Controller, Get, Path, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import { findTenant } from '../queries/tenantQueries.js';
import type { TenantSummary } from '../readModels/tenantSummary.js';
import { usageReportOf } from '../usage/usageReport.js';
import type { UsageReport } from '../usage/usageReport.js';
import { tenantOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/tenants/{accountId}…`: a tenant reads its own record and usage. Another account's id
 * answers 404 exactly like an unknown one, so ids cannot be probed for existence; for the same
 * reason the id's form is not checked (a 400 for another account's id would tell apart ids that
 * exist from ids that cannot), only its length. Accounts named by a JWT or `X-AWP-Account` need
 * not be UUIDs. The operator reads any tenant through `/v1/admin/tenants/{accountId}`.
 */
@Route('v1/tenants/{accountId}')
@Tags('Tenant')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
@Response<Problem>(404, 'Not the caller’s own account')
export class TenantController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * The caller's own tenant: name, tier, status.
   * @minLength accountId 1 must not be empty
   * @maxLength accountId 200 must be at most 200 characters
   */
  @Get()
  @Security('bearer', ['tenant:read'])
  public async getOwnTenant(@Path() accountId: string): Promise<TenantSummary> {
    const own = this.ownAccount(accountId);
    const tenant = await findTenant(this.scope.deps.db, own);
    if (!tenant) throw notFound(accountId);
    return tenant;
  }

  /**
   * The caller's usage this month against every limit of its tier.
   * @minLength accountId 1 must not be empty
   * @maxLength accountId 200 must be at most 200 characters
   */
  @Get('usage')
  @Security('bearer', ['tenant:read'])
  public async getOwnUsage(@Path() accountId: string): Promise<UsageReport> {
    const own = this.ownAccount(accountId);
    const { db, directory, clock } = this.scope.deps;
    return usageReportOf(db, directory, own, clock.now());
  }

  /** The caller's account when `accountId` names it (ids compare as stored: lower case). */
  private ownAccount(accountId: string): string {
    const own = tenantOf(this.scope).accountId;
    if (own.toLowerCase() !== accountId.toLowerCase()) throw notFound(accountId);
    return own;
  }
}

function notFound(accountId: string): AwpError {
  return new AwpError('not_found', `tenant '${accountId}' does not exist`);
}
