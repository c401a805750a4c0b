import { errors } from 'jose';
import { AwpError } from '../../../contracts/index.js';

/** Refuses a token. Reasons are general on purpose: they never quote the token or a key. */
export function refuse(reason: string): AwpError {
  return new AwpError('unauthorized', reason);
}

/**
 * Failures to reach the IdP are `unavailable` (HTTP 503), never `unauthorized`: the caller's
 * token may be perfectly good, and a 401 would send clients to re-authenticate for nothing.
 */
export function identityProviderUnreachable(
  issuer: string,
  what: string,
  cause?: unknown,
  retryable = true,
): AwpError {
  return new AwpError('unavailable', `cannot reach the identity provider '${issuer}': ${what}`, {
    retryable,
    cause,
  });
}

function claimFailure(error: errors.JWTClaimValidationFailed): string {
  switch (error.claim) {
    case 'nbf':
      return 'the token is not valid yet';
    case 'aud':
      return "the token's audience is not accepted";
    case 'iss':
      return "the token's issuer is not trusted";
    case 'exp':
      return error.reason === 'missing' ? 'the token has no expiry' : 'the token is malformed';
    default:
      return `the token's '${error.claim}' claim is not valid`;
  }
}

function reasonFor(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) {
    return 'the token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return claimFailure(error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return "the token's signature does not verify";
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return "the token's algorithm is not accepted";
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return "the token's signing key is not known";
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return 'the token is malformed';
  }
  if (error instanceof errors.JOSENotSupported) {
    return "the token's algorithm or key type is not supported";
  }
  return 'the token does not verify';
}

/**
 * The `AwpError` a failed verification becomes: ours pass through (IdP unreachable, claim
 * mapping), jose's become 401 with a short reason, and anything else is a fault of ours.
 */
export function verificationFailure(error: unknown): AwpError {
  if (error instanceof AwpError) {
    return error;
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKInvalid) {
    return new AwpError('internal', "the issuer's configured keys are not usable", {
      cause: error,
    });
  }
  if (error instanceof errors.JOSEError) {
    return refuse(reasonFor(error));
  }
  return new AwpError('internal', 'the token could not be verified', { cause: error });
}
