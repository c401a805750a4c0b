import Router from '@koa/router';
import { z } from 'zod';
import {
  AwpError,
  createCommandHandler,
  parseInput,
  platformTopic,
  tenantTiers,
} from '../../../contracts/index.js';
import type {
  Database,
  EventEnvelope,
  EventStore,
  IdGenerator,
  RequestContext,
  TenantCreatedData,
} from '../../../contracts/index.js';
import { findTenant, listTenants } from '../queries/tenantQueries.js';
import { tenantSummaryFrom } from '../readModels/tenantSummary.js';
import { tenantDecider } from '../tenants/decide.js';
import type { TenantCommand } from '../tenants/decide.js';
import { tenantStreamId } from '../tenants/tenant.js';

export interface TenantRoutesDeps {
  db: Database;
  eventStore: EventStore;
  ids: IdGenerator;
}

const createTenantBody = z
  .object({
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    tier: z
      .enum(tenantTiers, { error: `must be one of ${tenantTiers.join(', ')}` })
      .default('free'),
  })
  .strict();

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    after: z.string().min(1).max(100).optional(),
  })
  .strict();

const tenantParams = z.object({
  accountId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID'),
});

/** `/v1/tenants`: thin HTTP over the tenant decider (commands) and read model (queries). */
export function createTenantRoutes(deps: TenantRoutesDeps): Router {
  const router = new Router({ prefix: '/v1/tenants' });
  const handle = createCommandHandler({
    eventStore: deps.eventStore,
    decider: tenantDecider,
    topic: platformTopic,
  });

  router.post('/', async function createTenantRoute(ctx) {
    const body = parseInput(createTenantBody, ctx.request.body, 'tenant');
    const request = ctx.state.requestContext as RequestContext;
    const accountId = deps.ids.newId();
    const command: TenantCommand = { type: 'CreateTenant', data: { accountId, ...body } };
    const result = await handle({
      streamId: tenantStreamId(accountId),
      command,
      metadata: {
        accountId,
        correlationId: request.correlationId,
        causationId: null,
        actor: request.actor,
      },
      // Names are unique regardless of case: "Acme" and "ACME" would confuse every operator.
      uniqueKeys: [
        {
          scope: 'tenant-name',
          value: body.name.toLowerCase(),
          takenMessage: `a tenant named '${body.name}' already exists`,
        },
      ],
    });
    const created = result.events[0] as EventEnvelope<'TenantCreated', TenantCreatedData>;
    ctx.status = 201;
    ctx.set('Location', `/v1/tenants/${accountId}`);
    ctx.body = tenantSummaryFrom(created);
  });

  router.get('/', async function listTenantsRoute(ctx) {
    const page = parseInput(listQuery, ctx.query, 'query');
    ctx.body = await listTenants(deps.db, page);
  });

  router.get('/:accountId', async function getTenantRoute(ctx) {
    const { accountId } = parseInput(tenantParams, ctx.params, 'tenant id');
    const tenant = await findTenant(deps.db, accountId);
    if (!tenant) throw new AwpError('not_found', `tenant '${accountId}' does not exist`);
    ctx.body = tenant;
  });

  return router;
}
