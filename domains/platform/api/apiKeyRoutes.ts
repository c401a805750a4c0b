import Router from '@koa/router';
import { z } from 'zod';
import { assertPermitted, parseInput, roles } from '../../../contracts/index.js';
import type { RequestContext } from '../../../contracts/index.js';
import type { ApiKeys } from '../apiKeys/apiKeys.js';

const createBody = z
  .object({
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    roles: z
      .array(z.enum(roles, { error: `must be one of ${roles.join(', ')}` }))
      .min(1, 'must name at least one role')
      .max(roles.length),
  })
  .strict();

const keyParams = z.object({
  keyId: z.string().regex(/^[0-9a-f]{24}$/, 'must be an API key id (24 hex digits)'),
});

/**
 * `/v1/api-keys`: machine credentials of the caller's account. The key is in the creation
 * response only; lists show ids, names and roles. Revoked keys stay listed, marked revoked.
 */
export function createApiKeyRoutes(deps: { apiKeys: ApiKeys }): Router {
  const router = new Router({ prefix: '/v1/api-keys' });

  router.post('/', async function createApiKeyRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    assertPermitted(request, 'apikey:manage');
    const body = parseInput(createBody, ctx.request.body, 'API key');
    const created = await deps.apiKeys.create(request.accountId, body, callerOf(request));
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Location', `/v1/api-keys/${created.keyId}`);
    ctx.body = created;
  });

  router.get('/', async function listApiKeysRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    assertPermitted(request, 'apikey:manage');
    ctx.body = { items: await deps.apiKeys.list(request.accountId) };
  });

  router.delete('/:keyId', async function revokeApiKeyRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    assertPermitted(request, 'apikey:manage');
    const { keyId } = parseInput(keyParams, ctx.params, 'API key id');
    await deps.apiKeys.revoke(request.accountId, keyId, callerOf(request));
    ctx.status = 204;
  });

  return router;
}

function callerOf(request: RequestContext) {
  return {
    actor: request.actor,
    roles: request.roles ?? [],
    correlationId: request.correlationId,
  };
}
