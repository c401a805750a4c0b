export { createJwtVerifier } from './jwtVerifier.js';
export type { JwtVerifierOptions } from './jwtVerifier.js';
export { acceptedAlgorithms, defaultAlgorithms, parseTrustedIssuers } from './trustedIssuers.js';
export type { AcceptedAlgorithm, TrustedIssuer, TrustedIssuerInput } from './trustedIssuers.js';
