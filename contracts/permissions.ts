import { AwpError } from './errors.js';
import type { RequestContext } from './requestContext.js';
import type { Role } from './roles.js';

/**
 * What a caller may do inside its own account. Each endpoint declares one permission (tsoa
 * `@Security('bearer', [permission])`); the table below is the only place that says which roles
 * hold it, and the README prints it.
 */
export const permissionMatrix = {
  'workflow:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'workflow:write': ['owner', 'admin', 'editor'],
  'execution:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'execution:start': ['owner', 'admin', 'editor', 'operator'],
  'execution:control': ['owner', 'admin', 'operator'],
  'event:publish': ['owner', 'admin', 'operator'],
  'policy:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'policy:write': ['owner', 'admin'],
  'secret:read': ['owner', 'admin', 'editor'],
  'secret:write': ['owner', 'admin'],
  'apikey:manage': ['owner', 'admin'],
  'tenant:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'conversation:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'conversation:write': ['owner', 'admin', 'editor'],
  'draft:approve': ['owner', 'admin', 'editor'],
  'connector:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'connector:write': ['owner', 'admin', 'editor'],
  'agent:read': ['owner', 'admin', 'editor', 'operator', 'viewer'],
  'agent:write': ['owner', 'admin'],
  'memory:read': ['owner', 'admin', 'editor'],
  'memory:write': ['owner', 'admin', 'editor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionMatrix;

export const permissions = Object.keys(permissionMatrix) as Permission[];

export function rolesHolding(permission: Permission): readonly Role[] {
  return permissionMatrix[permission];
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return (permissionMatrix[permission] as readonly Role[]).includes(role);
}

/**
 * Refuses a request whose caller holds none of the roles that grant `permission` in its own
 * account: 401 without an account, 403 with one. Resources of other accounts never get this far
 * (every query is filtered by the caller's account, so they answer 404).
 */
export function assertPermitted(
  request: RequestContext | undefined,
  permission: Permission,
): asserts request is RequestContext & { accountId: string } {
  if (!request?.accountId) {
    throw new AwpError('unauthorized', 'this endpoint needs an authenticated account');
  }
  if (!(request.roles ?? []).some((role) => roleGrants(role, permission))) {
    throw new AwpError(
      'forbidden',
      `permission '${permission}' is needed (roles: ${rolesHolding(permission).join(', ')})`,
      { field: permission },
    );
  }
}
