import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type {
  JWTPayload,
  JWTVerifyGetKey,
  JWTVerifyOptions,
  ProtectedHeaderParameters,
} from 'jose';
import type { Identity, JwtVerifier } from '../identity.js';
import { identityFromClaims } from './identityFromClaims.js';
import { createIssuerKeys } from './issuerKeys.js';
import type { TrustedIssuer } from './trustedIssuers.js';
import { refuse, verificationFailure } from './verificationFailure.js';

export interface JwtVerifierOptions {
  issuers: readonly TrustedIssuer[];
  /** How long a fetched JWKS is used before it is fetched again; default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** The least time between refetches prompted by an unknown `kid`; default 30 seconds. */
  jwksCooldownMs?: number;
  /** For each discovery or JWKS request to an IdP; default 5 seconds. */
  timeoutMs?: number;
}

/** Far above any real access token; bounds the work an unauthenticated caller can ask for. */
const maxTokenLength = 16 * 1024;

interface UnverifiedToken {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
}

/** Reads header and claims without trusting them, only to choose how to verify. */
function readUnverified(token: string): UnverifiedToken {
  if (token.length > maxTokenLength) {
    throw refuse('the token is too large');
  }
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    throw refuse('the token is malformed');
  }
}

/** The header's `alg`, quoted only when it looks like an algorithm name (it is attacker input). */
function algorithmRefusal(alg: unknown): string {
  return typeof alg === 'string' && /^[A-Za-z0-9_+-]{1,16}$/.test(alg)
    ? `algorithm '${alg}' is not accepted`
    : "the token's algorithm is not accepted";
}

/**
 * jose does not choose between several keys that fit a token without a `kid` (an IdP in the
 * middle of a rotation); it hands them over, and the token is good if any of them verifies it.
 */
async function verifySignedClaims(
  token: string,
  keys: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) {
      throw error;
    }
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) {
          throw inner;
        }
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/**
 * Verifies bearer JWTs from the configured identity providers. The unverified `iss` only picks
 * which issuer's rules apply; the `alg` is checked against that issuer's list before any key is
 * looked up, so `none` and HS* tokens never reach a key or a signature check.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keyOptions = {
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
    cooldownMs: options.jwksCooldownMs ?? 30_000,
    timeoutMs: options.timeoutMs ?? 5_000,
  };
  const trusted = new Map(
    options.issuers.map((issuer) => [
      issuer.issuer,
      { issuer, keys: createIssuerKeys(issuer, keyOptions) },
    ]),
  );

  return {
    async verify(token: string): Promise<Identity> {
      const { header, claims } = readUnverified(token);
      const entry = typeof claims.iss === 'string' ? trusted.get(claims.iss) : undefined;
      if (!entry) {
        throw refuse("the token's issuer is not trusted");
      }
      const { issuer, keys } = entry;
      if (!(issuer.algorithms as readonly unknown[]).includes(header.alg)) {
        throw refuse(algorithmRefusal(header.alg));
      }
      try {
        const payload = await verifySignedClaims(token, keys, {
          issuer: issuer.issuer,
          audience: [issuer.audience].flat(),
          algorithms: [...issuer.algorithms],
          clockTolerance: issuer.clockToleranceSeconds,
          requiredClaims: ['exp'],
        });
        return identityFromClaims(payload, issuer);
      } catch (error) {
        throw verificationFailure(error);
      }
    },
    async close(): Promise<void> {
      // jose's key sets hold no timers or sockets: a fetch happens only inside a verify call.
    },
  };
}
