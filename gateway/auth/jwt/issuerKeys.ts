import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { discoverJwksUri } from './discoverJwksUri.js';
import type { TrustedIssuer } from './trustedIssuers.js';
import { identityProviderUnreachable } from './verificationFailure.js';

export interface IssuerKeysOptions {
  /** How long a fetched key set is used before it is fetched again. */
  cacheMaxAgeMs: number;
  /** The least time between two fetches prompted by an unknown `kid`. */
  cooldownMs: number;
  /** For each discovery or key set request. */
  timeoutMs: number;
}

/** Lookup outcomes that are the token's doing (an unknown `kid`, an odd `alg`), not the IdP's. */
function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

function describeKeySetFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof errors.JWKSTimeout) {
    return `its key set gave no answer within ${timeoutMs} ms`;
  }
  if (error instanceof errors.JWKSInvalid) {
    return 'its key set is not a valid JWKS';
  }
  // jose's own "Expected 200 OK" and bad-JSON errors, and fetch's "fetch failed".
  return 'its key set could not be fetched';
}

/**
 * The key resolver `jwtVerify` uses for one issuer. Remote key sets are created on first use,
 * after discovery when no `jwksUri` was configured; concurrent first calls share one discovery,
 * and a failed discovery is tried again by the next call rather than remembered.
 */
export function createIssuerKeys(
  issuer: TrustedIssuer,
  options: IssuerKeysOptions,
): JWTVerifyGetKey {
  if (issuer.keys) {
    return createLocalJWKSet(issuer.keys);
  }
  let remote: Promise<JWTVerifyGetKey> | undefined;
  const remoteKeySet = (): Promise<JWTVerifyGetKey> => {
    if (!remote) {
      const pending = (
        issuer.jwksUri
          ? Promise.resolve(new URL(issuer.jwksUri))
          : discoverJwksUri(issuer.issuer, options.timeoutMs)
      ).then((uri) =>
        createRemoteJWKSet(uri, {
          cacheMaxAge: options.cacheMaxAgeMs,
          cooldownDuration: options.cooldownMs,
          timeoutDuration: options.timeoutMs,
        }),
      );
      remote = pending;
      pending.catch(() => {
        if (remote === pending) {
          remote = undefined;
        }
      });
    }
    return remote;
  };
  return async function issuerKey(header, token) {
    const keySet = await remoteKeySet();
    try {
      return await keySet(header, token);
    } catch (error) {
      if (isTokenFault(error)) {
        throw error;
      }
      throw identityProviderUnreachable(
        issuer.issuer,
        describeKeySetFailure(error, options.timeoutMs),
        error,
      );
    }
  };
}
