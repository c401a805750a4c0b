import type { Actor, Role } from '../../contracts/index.js';

// The roles and what each may do live in contracts (domains check permissions too).
export { roles, isRole } from '../../contracts/index.js';
export type { Role } from '../../contracts/index.js';

/** How the caller proved who it is. */
export type CredentialKind = 'jwt' | 'api_key' | 'dev_header' | 'none';

/** Who is calling, as established by a verified credential (or nobody). */
export interface Identity {
  actor: Actor;
  /** The tenant the caller acts for; absent for a caller without one. */
  accountId?: string;
  roles: readonly Role[];
  credential: CredentialKind;
}

export const anonymousIdentity: Identity = {
  actor: { type: 'user', id: 'anonymous' },
  roles: [],
  credential: 'none',
};

/**
 * Checks one bearer JWT. Resolves to the identity its claims map to; rejects with
 * `AwpError('unauthorized')` for any token that does not verify, saying why in general terms
 * (never echoing the token).
 */
export interface JwtVerifier {
  verify(token: string): Promise<Identity>;
  /** Releases timers or connections (JWKS refreshes); optional. */
  close?(): Promise<void>;
}
