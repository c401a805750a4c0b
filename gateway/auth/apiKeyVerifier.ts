import type { Identity } from './identity.js';

/** API keys start with this, so a bearer token tells at a glance which verifier it needs. */
export const apiKeyPrefix = 'awp_';

/**
 * Checks one API key (`awp_…`), owned by the gateway and implemented by the platform domain,
 * which stores the keys. Rejects with `AwpError('unauthorized')` for an unknown, altered or
 * revoked key, without echoing it.
 */
export interface ApiKeyVerifier {
  verify(key: string): Promise<Identity>;
}
