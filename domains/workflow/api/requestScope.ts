import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import type { WorkflowSimulator } from '../ports/workflowSimulator.js';
import type { Context, Middleware } from 'koa';
import { requirePermission, securityRequirementOf } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type { Actor, RequestContext } from '../../../contracts/index.js';
import type { WorkflowRegistry } from '../definitions/workflowRegistry.js';
import type { WorkflowEngine } from '../executions/runtime/workflowEngine.js';
import type { OutboundPolicies } from '../policies/outboundPolicies.js';

/** What the workflow API needs from its host: one set per platform instance. */
export interface WorkflowApiDeps {
  registry: WorkflowRegistry;
  engine: WorkflowEngine;
  outboundPolicies: OutboundPolicies;
  /** Dry runs against canned responses (`POST /v1/simulations`); absent: 503. */
  simulator?: WorkflowSimulator;
  /** How often an event stream looks for new events. Default 200 ms. */
  eventPollMs?: number;
  /** How long an idle event stream waits before a comment keeps proxies from closing it. Default 15 s. */
  heartbeatMs?: number;
}

/** Everything a controller works with for one request: the tenant, the caller and the deps. */
export interface RequestScope {
  deps: WorkflowApiDeps;
  accountId: string;
  actor: Actor;
  correlationId: string;
}

/** Where the scope waits for tsoa's container, on the request's Koa state. */
const scopeKey = 'workflowApiScope';

/**
 * Puts this router's deps and the caller's tenant on the request. Every workflow resource
 * belongs to an account, so a caller without one is refused here, before any validation.
 */
export function provideRequestScope(deps: WorkflowApiDeps): Middleware {
  return async function provideRequestScopeMiddleware(ctx, next) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    if (!request?.accountId) {
      throw new AwpError('unauthorized', 'the workflow API needs an authenticated account');
    }
    const scope: RequestScope = {
      deps,
      accountId: request.accountId,
      actor: request.actor,
      correlationId: request.correlationId,
    };
    ctx.state[scopeKey] = scope;
    await next();
  };
}

type ControllerClass<T> = new (scope: RequestScope) => T;

/**
 * tsoa's `iocModule`: builds each controller for the request it serves, from the scope the
 * middleware above stored. Dependencies never live in module state, so two platforms in one
 * process (as tests run them) keep apart.
 */
export const iocContainer: IocContainerFactory = function workflowApiContainer(request: unknown) {
  const ctx = (request as { ctx: Context }).ctx;
  const scope = ctx.state[scopeKey] as RequestScope | undefined;
  function get<T>(controller: ServiceIdentifier<T>): T {
    if (!scope || typeof controller !== 'function') {
      throw new AwpError('internal', 'the workflow API router was mounted without its scope');
    }
    return new (controller as ControllerClass<T>)(scope);
  }
  // tsoa types `get` as two overloads (sync and async); the synchronous one is what this is.
  return { get } as IocContainer;
};

/**
 * The template's hook for an action's `@Security('bearer', [permission])`: the caller's roles
 * must grant it (the matrix is `contracts/permissions.ts`). Every workflow resource is a
 * tenant's, so there are no operator actions here.
 */
export function authorize(security: ReadonlyArray<Record<string, string[]>>): Middleware {
  const requirement = securityRequirementOf(security);
  if (requirement.scheme !== 'bearer') {
    throw new Error(`the workflow API has tenant actions only, not ${requirement.scheme} ones`);
  }
  return requirePermission(requirement.permission);
}
