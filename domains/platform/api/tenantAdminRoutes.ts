import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { AwpError, parseInput, tenantTiers } from '../../../contracts/index.js';
import type {
  EventEnvelope,
  EventMetadata,
  EventStore,
  IdGenerator,
  Queryable,
  RequestContext,
  TenantCreatedData,
} from '../../../contracts/index.js';
import { findTenant, listTenants } from '../queries/tenantQueries.js';
import { tenantSummaryFrom } from '../readModels/tenantSummary.js';
import { createTenantCommandHandler } from '../tenants/handleTenantCommand.js';
import type { TenantCommandResult } from '../tenants/handleTenantCommand.js';

export interface TenantAdminRoutesDeps {
  db: Queryable;
  eventStore: EventStore;
  ids: IdGenerator;
  /** Guards every route here (the operator's token or loopback). */
  adminGuard: Middleware;
}

const tier = z.enum(tenantTiers, { error: `must be one of ${tenantTiers.join(', ')}` });

const createTenantBody = z
  .object({
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    tier: tier.default('free'),
  })
  .strict();

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    after: z.string().min(1).max(100).optional(),
    status: z.enum(['active', 'suspended'], { error: 'must be active or suspended' }).optional(),
  })
  .strict();

const tenantParams = z.object({
  accountId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
    .transform((id) => id.toLowerCase()),
});

const suspendBody = z
  .object({
    reason: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'must be at most 500 characters'),
  })
  .strict();

const reactivateBody = z.object({}).strict();

const tierBody = z.object({ tier }).strict();

/** Commands from the operator are the platform's, whoever holds the admin token. */
const operatorActor = { type: 'system', id: 'operator' } as const;

/**
 * The platform operator's tenant API. Tenants are created and listed here, not by tenants: an
 * account comes into being when the operator (billing, sign-up back office) registers it, and a
 * list of every tenant would leak other customers to any caller. The paths of creation and
 * listing stay `/v1/tenants` so existing clients keep working; every route is behind the guard.
 */
export function createTenantAdminRoutes(deps: TenantAdminRoutesDeps): Router {
  const router = new Router();
  const { adminGuard, db } = deps;
  const handle = createTenantCommandHandler(deps.eventStore);

  router.post('/v1/tenants', adminGuard, async function createTenantRoute(ctx) {
    const body = parseInput(createTenantBody, ctx.request.body, 'tenant');
    const accountId = deps.ids.newId();
    const result = await handle(
      { type: 'CreateTenant', data: { accountId, ...body } },
      operatorMetadata(ctx),
      // Names are unique regardless of case: "Acme" and "ACME" would confuse every operator.
      [
        {
          scope: 'tenant-name',
          value: body.name.toLowerCase(),
          takenMessage: `a tenant named '${body.name}' already exists`,
        },
      ],
    );
    const created = result.events[0] as EventEnvelope<'TenantCreated', TenantCreatedData>;
    ctx.status = 201;
    ctx.set('Location', `/v1/tenants/${accountId}`);
    ctx.body = tenantSummaryFrom(created);
  });

  router.get('/v1/tenants', adminGuard, async function listTenantsRoute(ctx) {
    const page = parseInput(listQuery, ctx.query, 'query');
    ctx.body = await listTenants(db, page);
  });

  router.get('/v1/admin/tenants/:accountId', adminGuard, async function getTenantRoute(ctx) {
    const { accountId } = parseInput(tenantParams, ctx.params, 'tenant id');
    const tenant = await findTenant(db, accountId);
    if (!tenant) throw new AwpError('not_found', `tenant '${accountId}' does not exist`);
    ctx.body = tenant;
  });

  router.post(
    '/v1/admin/tenants/:accountId/suspend',
    adminGuard,
    async function suspendTenantRoute(ctx) {
      const { accountId } = parseInput(tenantParams, ctx.params, 'tenant id');
      const { reason } = parseInput(suspendBody, ctx.request.body ?? {}, 'suspension');
      const result = await handle(
        { type: 'SuspendTenant', data: { accountId, reason } },
        operatorMetadata(ctx),
      );
      ctx.body = standingOf(result);
    },
  );

  router.post(
    '/v1/admin/tenants/:accountId/reactivate',
    adminGuard,
    async function reactivateTenantRoute(ctx) {
      const { accountId } = parseInput(tenantParams, ctx.params, 'tenant id');
      parseInput(reactivateBody, ctx.request.body ?? {}, 'reactivation');
      const result = await handle(
        { type: 'ReactivateTenant', data: { accountId } },
        operatorMetadata(ctx),
      );
      ctx.body = standingOf(result);
    },
  );

  router.put('/v1/admin/tenants/:accountId/tier', adminGuard, async function changeTierRoute(ctx) {
    const { accountId } = parseInput(tenantParams, ctx.params, 'tenant id');
    const body = parseInput(tierBody, ctx.request.body ?? {}, 'tier change');
    const result = await handle(
      { type: 'ChangeTenantTier', data: { accountId, tier: body.tier } },
      operatorMetadata(ctx),
    );
    ctx.body = standingOf(result);
  });

  return router;
}

function operatorMetadata(ctx: Context): Omit<EventMetadata, 'accountId'> {
  const request = ctx.state.requestContext as RequestContext;
  return { correlationId: request.correlationId, causationId: null, actor: operatorActor };
}

/**
 * The tenant as the command left it. The read model (`GET /v1/admin/tenants/{id}`) shows the
 * same once it has caught up to `version`.
 */
function standingOf({ tenant, version }: TenantCommandResult) {
  return {
    accountId: tenant.accountId,
    name: tenant.name,
    tier: tenant.tier,
    status: tenant.status,
    suspendedReason: tenant.suspendedReason,
    version,
  };
}
