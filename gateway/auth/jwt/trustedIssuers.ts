import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { AwpError } from '../../../contracts/index.js';
import type { FieldViolation } from '../../../contracts/index.js';
import { roles } from '../identity.js';
import type { Role } from '../identity.js';
import { isJsonPointer } from './readClaim.js';

/**
 * Signature algorithms a trusted issuer may use. Only asymmetric ones: with HS* the verification
 * key is the signing key, so anyone who can read it (a published JWK, say) can mint tokens.
 */
export const acceptedAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type AcceptedAlgorithm = (typeof acceptedAlgorithms)[number];

export const defaultAlgorithms: readonly AcceptedAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** One identity provider whose bearer tokens the gateway accepts, as the operator configured it. */
export interface TrustedIssuer {
  /** Compared exactly with the token's `iss`. */
  issuer: string;
  /** The token's `aud` must contain one of these. */
  audience: string | readonly string[];
  /** Where the issuer publishes its keys; discovered from the issuer when absent. */
  jwksUri?: string;
  /** Fixed public keys instead of fetched ones (a local development issuer). */
  keys?: JSONWebKeySet;
  algorithms: readonly AcceptedAlgorithm[];
  /** A top-level claim name, or a JSON Pointer into the payload when it starts with `/`. */
  claims: { user: string; account: string; roles: string };
  /** IdP role → AWP role; unmapped values count only when they already are AWP roles. */
  roleMap: Readonly<Record<string, Role>>;
  clockToleranceSeconds: number;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Keys fetched over plain http could be swapped by anyone on the path; loopback is the exception. */
export function isFetchable(url: URL): boolean {
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && (loopbackHosts.has(url.hostname) || /^127\./.test(url.hostname)))
  );
}

const httpsRule = 'must use https (plain http is accepted only for a loopback host)';

/** Later checks must not throw on a value an earlier one already refused (zod runs them all). */
const asUrl = (value: string): URL | undefined =>
  URL.canParse(value) ? new URL(value) : undefined;

const webUrl = z
  .string({ error: 'must be a URL string' })
  .refine((value) => asUrl(value) !== undefined, 'is not a valid URL')
  .refine((value) => /^(https?:|$)/.test(asUrl(value)?.protocol ?? ''), 'must be an http(s) URL');

const issuerUrl = webUrl.refine(
  (value) => !/[?#]/.test(value),
  'must not have a query or fragment (OpenID Connect issuer identifier)',
);

const fetchableUrl = webUrl.refine((value) => {
  const url = asUrl(value);
  return url === undefined || isFetchable(url);
}, httpsRule);

/** zod's defaults say "Invalid input"; an operator needs to know what was expected instead. */
const objectIssue =
  (expected: string) =>
  (issue: { code: string; keys?: readonly string[] }): string | undefined => {
    if (issue.code === 'invalid_type') {
      return `must be ${expected}`;
    }
    if (issue.code === 'unrecognized_keys') {
      return `has options it does not know: ${issue.keys?.join(', ')} (a typo?)`;
    }
    return undefined;
  };

const nonEmptyString = z.string({ error: 'must be a string' }).min(1, 'must not be empty');

const audience = z.union(
  [nonEmptyString, z.array(nonEmptyString).min(1, 'must list at least one audience')],
  { error: 'must be a string or a non-empty array of strings' },
);

function algorithmRefusal(input: unknown): string {
  const shown = typeof input === 'string' ? `'${input.slice(0, 32)}'` : 'this value';
  if (typeof input === 'string' && /^none$/i.test(input)) {
    return `${shown} is refused: an unsigned token proves nothing`;
  }
  if (typeof input === 'string' && /^HS\d+$/i.test(input)) {
    return `${shown} is refused: only asymmetric algorithms are accepted (an HMAC key verifies and signs alike)`;
  }
  return `${shown} is not accepted; use one of ${acceptedAlgorithms.join(', ')}`;
}

const algorithm = z.enum(acceptedAlgorithms, { error: (issue) => algorithmRefusal(issue.input) });

/** JWK members that only a private or symmetric key has. */
const secretMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC', 'OKP'], { error: 'must be RSA, EC or OKP (a public key type)' }),
  })
  .refine(
    (jwk) => secretMembers.every((member) => !(member in jwk)),
    'must be a public key: it holds private key material, which must never be configured here',
  );

const keySet = z.strictObject(
  { keys: z.array(publicJwk, { error: 'must be an array of JWKs' }).min(1, 'must hold a key') },
  { error: objectIssue('a JWKS object {"keys": [...]}') },
);

const claimName = nonEmptyString.refine(
  (name) => !name.startsWith('/') || isJsonPointer(name),
  'is not a valid JSON Pointer (write ~ as ~0 and / inside a name as ~1)',
);

const defaultClaims = { user: 'sub', account: 'awp_account', roles: 'roles' };

const trustedIssuerSchema = z
  .strictObject(
    {
      issuer: issuerUrl,
      audience,
      jwksUri: fetchableUrl.optional(),
      keys: keySet.optional(),
      algorithms: z
        .array(algorithm, { error: 'must be an array of algorithm names' })
        .min(1, 'must list at least one algorithm')
        .default([...defaultAlgorithms]),
      claims: z
        .strictObject(
          {
            user: claimName.default(defaultClaims.user),
            account: claimName.default(defaultClaims.account),
            roles: claimName.default(defaultClaims.roles),
          },
          { error: objectIssue('an object naming the user, account and roles claims') },
        )
        .prefault({}),
      roleMap: z
        .record(nonEmptyString, z.enum(roles, { error: `must be one of ${roles.join(', ')}` }))
        .default({}),
      clockToleranceSeconds: z
        .number({ error: 'must be a number of seconds' })
        .int('must be a whole number of seconds')
        .min(0, 'must not be negative')
        .max(300, 'must be at most 300 seconds')
        .default(30),
    },
    { error: objectIssue('an object with at least issuer and audience') },
  )
  .superRefine((entry, ctx) => {
    if (entry.keys && entry.jwksUri) {
      ctx.addIssue({
        code: 'custom',
        path: ['keys'],
        message: 'cannot be combined with jwksUri: give either fixed keys or where to fetch them',
      });
    }
    const discoveryBase = asUrl(entry.issuer);
    if (!entry.keys && !entry.jwksUri && discoveryBase && !isFetchable(discoveryBase)) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: `${httpsRule} to discover keys` });
    }
  });

const trustedIssuersSchema = z
  .array(trustedIssuerSchema, { error: 'must be a JSON array of issuers' })
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry.issuer)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'issuer'],
          message: `'${entry.issuer}' is configured twice`,
        });
      }
      seen.add(entry.issuer);
    });
  });

/** Shape of one entry as the operator writes it (optional fields may be left out). */
export type TrustedIssuerInput = z.input<typeof trustedIssuerSchema>;

function fieldName(variable: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`),
    variable,
  );
}

function invalid(variable: string, violations: FieldViolation[]): AwpError {
  const problems = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new AwpError('validation', `invalid ${variable}: ${problems}`, {
    field: variable,
    violations,
  });
}

/**
 * Reads the operator's trusted issuers from `json` (the value of the environment variable named
 * `variable`, used in every message). Throws `AwpError('validation')` naming each bad field.
 */
export function parseTrustedIssuers(json: string, variable: string): TrustedIssuer[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const message = `is not valid JSON (${(error as Error).message})`;
    throw invalid(variable, [{ field: variable, message }]);
  }
  const parsed = trustedIssuersSchema.safeParse(value);
  if (!parsed.success) {
    throw invalid(
      variable,
      parsed.error.issues.map((issue) => ({
        field: fieldName(variable, issue.path),
        message: issue.message,
      })),
    );
  }
  return parsed.data.map(({ keys, ...entry }) =>
    keys ? { ...entry, keys: keys as JSONWebKeySet } : entry,
  );
}
