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
  /**
   * How long a token that verified is taken as verified again without checking its signature;
   * default 60 s, never past its `exp`. 0 turns the cache off.
   */
  verifiedCacheMs?: number;
  now?: () => number;
}

/** Tokens remembered at once; past this the cache starts over (a flood of new tokens). */
const maxVerifiedTokens = 10_000;

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

  // A client sends the same token with every request until it expires, and checking its
  // signature is most of what authenticating it costs (an RS256 verify per request). The same
  // string verifies the same way until its `exp` or a key change, so a verified token is reused
  // for a short while: a key removed at the provider stops working within `verifiedCacheMs`
  // (jose keeps a fetched key set for minutes anyway).
  const verifiedCacheMs = options.verifiedCacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { identity: Identity; until: number }>();

  return {
    async verify(token: string): Promise<Identity> {
      const remembered = verified.get(token);
      if (remembered) {
        if (remembered.until > now()) return remembered.identity;
        verified.delete(token);
      }
      const identity = await verifyAfresh(token);
      if (verifiedCacheMs > 0) {
        const exp = decodeJwt(token).exp;
        const until = Math.min(now() + verifiedCacheMs, typeof exp === 'number' ? exp * 1000 : 0);
        if (verified.size >= maxVerifiedTokens) verified.clear();
        if (until > now()) verified.set(token, { identity, until });
      }
      return identity;
    },
    async close(): Promise<void> {
      // jose's key sets hold no timers or sockets: a fetch happens only inside a verify call.
    },
  };

  async function verifyAfresh(token: string): Promise<Identity> {
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
  }
}
