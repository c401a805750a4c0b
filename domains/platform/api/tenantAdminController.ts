import {
  Body,
  Controller,
  Get,
  Path,
  Post,
  Put,
  Queries,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type {
  EventEnvelope,
  EventMetadata,
  TenantCreatedData,
  UniqueKey,
} from '../../../contracts/index.js';
import { findTenant, listTenants } from '../queries/tenantQueries.js';
import type { TenantPage } from '../queries/tenantQueries.js';
import { tenantSummaryFrom } from '../readModels/tenantSummary.js';
import type { TenantSummary } from '../readModels/tenantSummary.js';
import type { TenantCommand } from '../tenants/decide.js';
import { createTenantCommandHandler } from '../tenants/handleTenantCommand.js';
import type { TenantCommandResult } from '../tenants/handleTenantCommand.js';
import type {
  NewTenant,
  Reactivation,
  Suspension,
  TenantId,
  TenantListQuery,
  TenantStanding,
  TierChange,
} from './apiModels.js';
import type { RequestScope } from './requestScope.js';

/** Commands from the operator are the platform's, whoever holds the admin token. */
const operatorActor = { type: 'system', id: 'operator' } as const;

/**
 * The platform operator's tenant API. Tenants are created and listed here, not by tenants: an
 * account comes into being when the operator (billing, sign-up back office) registers it, and a
 * list of every tenant would leak other customers to any caller. The paths of creation and
 * listing stay `/v1/tenants` so existing clients keep working; every action is the operator's.
 */
@Route('v1')
@Tags('Tenant administration')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'Not the operator: `AWP_ADMIN_TOKEN` missing or wrong')
@Response<Problem>(403, 'No admin token is configured and the caller is not on this machine')
export class TenantAdminController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Registers a tenant; it appears in reads once the read model has applied it. */
  @Post('tenants')
  @Security('operator')
  @SuccessResponse(201, 'Created')
  @Response<Problem>(409, 'A tenant with this name exists (names are compared without case)')
  public async createTenant(@Body() tenant: NewTenant): Promise<TenantSummary> {
    const name = tenant.name.trim();
    const accountId = this.scope.deps.ids.newId();
    const result = await this.handle(
      { type: 'CreateTenant', data: { accountId, name, tier: tenant.tier ?? 'free' } },
      // Names are unique regardless of case: "Acme" and "ACME" would confuse every operator.
      [
        {
          scope: 'tenant-name',
          value: name.toLowerCase(),
          takenMessage: `a tenant named '${name}' already exists`,
        },
      ],
    );
    const created = result.events[0] as EventEnvelope<'TenantCreated', TenantCreatedData>;
    this.setHeader('Location', `/v1/tenants/${accountId}`);
    return tenantSummaryFrom(created);
  }

  /** Every tenant, page by page in order of creation. */
  @Get('tenants')
  @Security('operator')
  public async listTenants(@Queries() query: TenantListQuery): Promise<TenantPage> {
    // tsoa has put in the documented default (`@default 50`); the type cannot say so.
    return listTenants(this.scope.deps.db, { ...query, limit: query.limit ?? 50 });
  }

  /** One tenant, as the read model has it. */
  @Get('admin/tenants/{accountId}')
  @Security('operator')
  @Response<Problem>(404, 'No such tenant')
  public async getTenant(@Path() accountId: TenantId): Promise<TenantSummary> {
    const id = accountId.toLowerCase();
    const tenant = await findTenant(this.scope.deps.db, id);
    if (!tenant) throw new AwpError('not_found', `tenant '${id}' does not exist`);
    return tenant;
  }

  /** Refuses the tenant's requests (403) until it is reactivated. */
  @Post('admin/tenants/{accountId}/suspend')
  @Security('operator')
  @Response<Problem>(404, 'No such tenant')
  @Response<Problem>(409, 'The tenant is suspended already')
  public async suspendTenant(
    @Path() accountId: TenantId,
    @Body() suspension: Suspension,
  ): Promise<TenantStanding> {
    return standingOf(
      await this.handle({
        type: 'SuspendTenant',
        data: { accountId: accountId.toLowerCase(), reason: suspension.reason.trim() },
      }),
    );
  }

  /** Lets a suspended tenant's requests through again. */
  @Post('admin/tenants/{accountId}/reactivate')
  @Security('operator')
  @Response<Problem>(404, 'No such tenant')
  @Response<Problem>(409, 'The tenant is not suspended')
  public async reactivateTenant(
    @Path() accountId: TenantId,
    @Body() _reactivation?: Reactivation,
  ): Promise<TenantStanding> {
    return standingOf(
      await this.handle({ type: 'ReactivateTenant', data: { accountId: accountId.toLowerCase() } }),
    );
  }

  /** Moves the tenant to another tier; the same tier again changes nothing (no new version). */
  @Put('admin/tenants/{accountId}/tier')
  @Security('operator')
  @Response<Problem>(404, 'No such tenant')
  public async changeTenantTier(
    @Path() accountId: TenantId,
    @Body() change: TierChange,
  ): Promise<TenantStanding> {
    return standingOf(
      await this.handle({
        type: 'ChangeTenantTier',
        data: { accountId: accountId.toLowerCase(), tier: change.tier },
      }),
    );
  }

  private handle(
    command: TenantCommand,
    uniqueKeys?: readonly UniqueKey[],
  ): Promise<TenantCommandResult> {
    const metadata: Omit<EventMetadata, 'accountId'> = {
      correlationId: this.scope.request.correlationId,
      causationId: null,
      actor: operatorActor,
    };
    return createTenantCommandHandler(this.scope.deps.eventStore)(command, metadata, uniqueKeys);
  }
}

/**
 * The tenant as the command left it. The read model (`GET /v1/admin/tenants/{id}`) shows the
 * same once it has caught up to `version`.
 */
function standingOf({ tenant, version }: TenantCommandResult): TenantStanding {
  return {
    accountId: tenant.accountId,
    name: tenant.name,
    tier: tenant.tier,
    status: tenant.status,
    suspendedReason: tenant.suspendedReason,
    version,
  };
}
