import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import type { Context, Middleware } from 'koa';
import { requirePermission, securityRequirementOf } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type {
  Clock,
  EventStore,
  IdGenerator,
  Queryable,
  RequestContext,
} from '../../../contracts/index.js';
import type { ApiKeys } from '../apiKeys/apiKeys.js';
import type { SecretVault } from '../secrets/secretVault.js';
import type { PlatformTenantDirectory } from '../usage/tenantDirectory.js';

/** What the platform API needs from its host: one set per platform instance. */
export interface PlatformApiDeps {
  db: Queryable;
  eventStore: EventStore;
  ids: IdGenerator;
  clock: Clock;
  /** The same directory the gateway asks, so the usage report shows the tier the gate applies. */
  directory: PlatformTenantDirectory;
  vault: SecretVault;
  apiKeys: ApiKeys;
  /**
   * Admits the platform operator (the host's admin token, or loopback without one): what
   * `@Security('operator')` means. The host decides; this domain only delegates.
   */
  adminGuard: Middleware;
}

/** Everything a controller works with for one request: the deps and the caller. */
export interface RequestScope {
  deps: PlatformApiDeps;
  /** The caller as the gateway authenticated it; the operator has no account. */
  request: RequestContext;
}

/** Where the scope waits for tsoa's container, on the request's Koa state. */
const scopeKey = 'platformApiScope';

/**
 * Puts this router's deps and the caller on the request. Unlike the workflow API, an account is
 * not required here: operator actions have none, and `authorize` asks for one where it is due.
 */
export function provideRequestScope(deps: PlatformApiDeps): Middleware {
  return async function provideRequestScopeMiddleware(ctx, next) {
    const scope: RequestScope = { deps, request: ctx.state.requestContext as RequestContext };
    ctx.state[scopeKey] = scope;
    await next();
  };
}

function scopeOf(ctx: Context): RequestScope {
  const scope = ctx.state[scopeKey] as RequestScope | undefined;
  if (!scope) {
    throw new AwpError('internal', 'the platform API router was mounted without its scope');
  }
  return scope;
}

type ControllerClass<T> = new (scope: RequestScope) => T;

/**
 * tsoa's `iocModule`: builds each controller for the request it serves, from the scope the
 * middleware above stored. Dependencies never live in module state, so two platforms in one
 * process (as tests run them) keep apart.
 */
export const iocContainer: IocContainerFactory = function platformApiContainer(request: unknown) {
  const scope = scopeOf((request as { ctx: Context }).ctx);
  function get<T>(controller: ServiceIdentifier<T>): T {
    if (typeof controller !== 'function') {
      throw new AwpError('internal', 'the platform API builds controllers from their classes');
    }
    return new (controller as ControllerClass<T>)(scope);
  }
  // tsoa types `get` as two overloads (sync and async); the synchronous one is what this is.
  return { get } as IocContainer;
};

/**
 * The template's hook for an action's security requirement: a permission of the caller's
 * account, or the operator, whom the host's admin guard recognises (`PlatformApiDeps`).
 */
export function authorize(security: ReadonlyArray<Record<string, string[]>>): Middleware {
  const requirement = securityRequirementOf(security);
  if (requirement.scheme === 'bearer') return requirePermission(requirement.permission);
  return async function authorizeOperator(ctx, next) {
    await scopeOf(ctx).deps.adminGuard(ctx, next);
  };
}

/** The caller's account, on a bearer action (`authorize` let no caller without one through). */
export function tenantOf(scope: RequestScope): RequestContext & { accountId: string } {
  const { request } = scope;
  if (!request.accountId) {
    throw new AwpError('internal', 'a tenant action was reached without an account');
  }
  return request as RequestContext & { accountId: string };
}
