import type { Middleware } from 'koa';
import { assertPermitted, permissions } from '../permissions.js';
import type { Permission } from '../permissions.js';
import type { RequestContext } from '../requestContext.js';

/**
 * Who may call an action, as its one tsoa `@Security` declares it: a tenant's credential whose
 * roles grant a permission (`@Security('bearer', ['workflow:read'])`), or the platform operator
 * (`@Security('operator')`), whom the host's admin guard recognises.
 */
export type SecurityRequirement =
  { scheme: 'bearer'; permission: Permission } | { scheme: 'operator' };

/**
 * Reads tsoa's security list. Exactly one requirement of one scheme is allowed: OpenAPI reads a
 * list as alternatives and an object as a conjunction, and an action open to "either" would be
 * as strong as its weaker half. The API generator refuses anything else, and so do the routes.
 */
export function securityRequirementOf(
  security: ReadonlyArray<Record<string, readonly string[]>>,
): SecurityRequirement {
  const schemes = security.length === 1 ? Object.entries(security[0] ?? {}) : [];
  const [scheme, scopes] = schemes.length === 1 ? (schemes[0] ?? []) : [];
  if (scheme === 'bearer' && scopes?.length === 1) {
    const permission = scopes[0] as Permission;
    if (!permissions.includes(permission)) {
      throw new Error(`unknown permission '${permission}' (contracts/permissions.ts lists them)`);
    }
    return { scheme, permission };
  }
  if (scheme === 'operator' && scopes?.length === 0) return { scheme };
  throw new Error(
    `needs exactly one of @Security('bearer', [<permission>]) or @Security('operator'), ` +
      `not ${JSON.stringify(security)}`,
  );
}

/** Lets a request through when its caller's roles grant `permission` in the caller's account. */
export function requirePermission(permission: Permission): Middleware {
  return async function requirePermissionMiddleware(ctx, next) {
    assertPermitted(ctx.state.requestContext as RequestContext | undefined, permission);
    await next();
  };
}
