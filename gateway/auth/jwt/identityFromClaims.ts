import type { JWTPayload } from 'jose';
import { AwpError } from '../../../contracts/index.js';
import { isRole, roles as roleOrder } from '../identity.js';
import type { Identity, Role } from '../identity.js';
import { readClaim } from './readClaim.js';
import type { TrustedIssuer } from './trustedIssuers.js';

const maxUserIdLength = 256;
/** The account id shape the rest of AWP relies on (path segments, topic keys). */
const accountIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

function userId(payload: JWTPayload, claim: string): string {
  const value = readClaim(payload, claim);
  if (typeof value !== 'string' || value.length === 0 || value.length > maxUserIdLength) {
    throw new AwpError('unauthorized', `the token's '${claim}' claim is not a usable user id`);
  }
  return value;
}

function accountId(payload: JWTPayload, claim: string): string | undefined {
  const value = readClaim(payload, claim);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || !accountIdPattern.test(value)) {
    throw new AwpError('unauthorized', `the token's '${claim}' claim is not a valid account id`);
  }
  return value;
}

/** IdPs send roles as a JSON array or as one space/comma separated string (like `scope`). */
function roleNames(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split(/[\s,]+/).filter(Boolean);
  }
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  return [];
}

/**
 * A roles claim of an unexpected shape yields no roles rather than a refusal: the caller is still
 * who the token says, and fewer roles can only grant less.
 */
function mappedRoles(payload: JWTPayload, issuer: TrustedIssuer): Role[] {
  const granted = new Set<Role>();
  for (const name of roleNames(readClaim(payload, issuer.claims.roles))) {
    const role = Object.hasOwn(issuer.roleMap, name) ? issuer.roleMap[name] : name;
    if (isRole(role)) {
      granted.add(role);
    }
  }
  return roleOrder.filter((role) => granted.has(role));
}

/** The identity a verified token's claims describe, read as `issuer` configures. */
export function identityFromClaims(payload: JWTPayload, issuer: TrustedIssuer): Identity {
  const account = accountId(payload, issuer.claims.account);
  return {
    actor: { type: 'user', id: userId(payload, issuer.claims.user) },
    ...(account === undefined ? {} : { accountId: account }),
    roles: mappedRoles(payload, issuer),
    credential: 'jwt',
  };
}
