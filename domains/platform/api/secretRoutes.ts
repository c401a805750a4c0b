import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { assertPermitted, parseInput } from '../../../contracts/index.js';
import type { Permission, RequestContext } from '../../../contracts/index.js';
import type { SecretVault } from '../secrets/secretVault.js';

export interface SecretRoutesDeps {
  vault: SecretVault;
  /** Guards `/v1/admin/secrets/…` (the operator's token or loopback). */
  adminGuard: Middleware;
}

// The vault checks the name's form itself; here only a bound keeps junk out of the error.
const secretParams = z.object({ name: z.string().min(1).max(200) });
const writeBody = z.object({ value: z.unknown() }).strict();

/**
 * `/v1/secrets`: the account's secrets, write-only. A value goes in with PUT and never comes
 * back: reads list names, versions and who changed them last. Workflows reference secrets by
 * name (`use.secrets`), and the engine alone reads their values.
 */
export function createSecretRoutes(deps: SecretRoutesDeps): Router {
  const router = new Router();
  const { vault } = deps;

  router.use(['/v1/secrets', '/v1/secrets/:name'], async function noStore(ctx, next) {
    await next();
    ctx.set('Cache-Control', 'no-store');
  });

  router.get('/v1/secrets', async function listSecretsRoute(ctx) {
    ctx.body = { items: await vault.list(accountOf(ctx.state, 'secret:read')) };
  });

  router.get('/v1/secrets/:name', async function describeSecretRoute(ctx) {
    const { name } = parseInput(secretParams, ctx.params, 'secret');
    ctx.body = await vault.describe(accountOf(ctx.state, 'secret:read'), name);
  });

  router.put('/v1/secrets/:name', async function writeSecretRoute(ctx) {
    const accountId = accountOf(ctx.state, 'secret:write');
    const { name } = parseInput(secretParams, ctx.params, 'secret');
    const body = parseInput(writeBody, ctx.request.body ?? {}, 'secret');
    const { secret, created } = await vault.write(accountId, name, body.value, changeOf(ctx.state));
    ctx.status = created ? 201 : 200;
    if (created) ctx.set('Location', `/v1/secrets/${name}`);
    ctx.body = secret;
  });

  router.delete('/v1/secrets/:name', async function deleteSecretRoute(ctx) {
    const accountId = accountOf(ctx.state, 'secret:write');
    const { name } = parseInput(secretParams, ctx.params, 'secret');
    await vault.remove(accountId, name, changeOf(ctx.state));
    ctx.status = 204;
  });

  // Master-key rotation, for the operator: after AWP_SECRETS_KEY changed (the old key moved to
  // AWP_SECRETS_PREVIOUS_KEYS), moves every data key onto the new one.
  router.post('/v1/admin/secrets/rewrap', deps.adminGuard, async function rewrapRoute(ctx) {
    const request = ctx.state.requestContext as RequestContext;
    ctx.body = await vault.rewrapAll({
      actor: { type: 'system', id: 'operator' },
      correlationId: request.correlationId,
    });
  });

  return router;
}

function accountOf(state: Record<string, unknown>, permission: Permission): string {
  const request = state.requestContext as RequestContext | undefined;
  assertPermitted(request, permission);
  return request.accountId;
}

function changeOf(state: Record<string, unknown>) {
  const request = state.requestContext as RequestContext;
  return { actor: request.actor, correlationId: request.correlationId };
}
