import { describe, expect, it } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import { parseTrustedIssuers } from './trustedIssuers.js';
import type { TrustedIssuerInput } from './trustedIssuers.js';

const variable = 'AWP_OIDC_ISSUERS';
const issuer = 'https://login.example.com/realms/awp';
const rsaPublicJwk = { kty: 'RSA', kid: 'dev-1', n: 'AQAB', e: 'AQAB' };

const parse = (entries: unknown) => parseTrustedIssuers(JSON.stringify(entries), variable);

/** The message of the validation error `entries` produce (the test fails if they parse). */
function refusal(entries: unknown): string {
  try {
    parse(entries);
  } catch (error) {
    expect(error).toBeInstanceOf(AwpError);
    expect((error as AwpError).code).toBe('validation');
    return (error as AwpError).message;
  }
  throw new Error('expected the configuration to be refused');
}

const withEntry = (entry: Partial<Record<keyof TrustedIssuerInput, unknown>>) => [
  { issuer, audience: 'awp-api', ...entry },
];

describe('parseTrustedIssuers', () => {
  it('applies the documented defaults to a minimal entry', () => {
    expect(parse([{ issuer, audience: 'awp-api' }])).toEqual([
      {
        issuer,
        audience: 'awp-api',
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        claims: { user: 'sub', account: 'awp_account', roles: 'roles' },
        roleMap: {},
        clockToleranceSeconds: 30,
      },
    ]);
  });

  it('keeps every option an operator may set', () => {
    const [parsed] = parse([
      {
        issuer,
        audience: ['awp-api', 'awp-cli'],
        jwksUri: `${issuer}/protocol/openid-connect/certs`,
        algorithms: ['PS384', 'ES512'],
        claims: { user: 'preferred_username', account: 'https://awp.dev/account' },
        roleMap: { 'awp-admins': 'admin' },
        clockToleranceSeconds: 0,
      },
    ]);
    expect(parsed).toMatchObject({
      audience: ['awp-api', 'awp-cli'],
      jwksUri: `${issuer}/protocol/openid-connect/certs`,
      algorithms: ['PS384', 'ES512'],
      claims: { user: 'preferred_username', account: 'https://awp.dev/account', roles: 'roles' },
      roleMap: { 'awp-admins': 'admin' },
      clockToleranceSeconds: 0,
    });
  });

  it('accepts fixed public keys for a local development issuer on plain http', () => {
    const [parsed] = parse([
      { issuer: 'http://awp-dev.internal', audience: 'awp-api', keys: { keys: [rsaPublicJwk] } },
    ]);
    expect(parsed?.keys).toEqual({ keys: [rsaPublicJwk] });
  });

  it('refuses alg none, naming the variable and the field', () => {
    expect(refusal(withEntry({ algorithms: ['RS256', 'none'] }))).toBe(
      "invalid AWP_OIDC_ISSUERS: AWP_OIDC_ISSUERS[0].algorithms[1]: 'none' is refused: an unsigned token proves nothing",
    );
  });

  it.each(['HS256', 'HS384', 'HS512'])('refuses the symmetric algorithm %s', (alg) => {
    expect(refusal(withEntry({ algorithms: [alg] }))).toContain(
      `AWP_OIDC_ISSUERS[0].algorithms[0]: '${alg}' is refused: only asymmetric algorithms are accepted`,
    );
  });

  it('refuses an algorithm it does not know, listing the accepted ones', () => {
    expect(refusal(withEntry({ algorithms: ['RS1'] }))).toContain(
      "AWP_OIDC_ISSUERS[0].algorithms[0]: 'RS1' is not accepted; use one of RS256, RS384",
    );
  });

  it('refuses an entry without an audience', () => {
    expect(refusal([{ issuer }])).toContain(
      'AWP_OIDC_ISSUERS[0].audience: must be a string or a non-empty array of strings',
    );
  });

  it('refuses an empty audience list', () => {
    expect(refusal(withEntry({ audience: [] }))).toContain('AWP_OIDC_ISSUERS[0].audience');
  });

  it('refuses fixed keys together with a jwksUri', () => {
    const message = refusal(
      withEntry({ jwksUri: `${issuer}/certs`, keys: { keys: [rsaPublicJwk] } }),
    );
    expect(message).toContain('AWP_OIDC_ISSUERS[0].keys: cannot be combined with jwksUri');
  });

  it('refuses an issuer that is not a URL', () => {
    expect(refusal([{ issuer: 'login.example.com', audience: 'a' }])).toContain(
      'AWP_OIDC_ISSUERS[0].issuer: is not a valid URL',
    );
  });

  it('refuses an issuer with a query component', () => {
    expect(refusal([{ issuer: `${issuer}?tenant=1`, audience: 'a' }])).toContain(
      'AWP_OIDC_ISSUERS[0].issuer: must not have a query or fragment',
    );
  });

  it('refuses a jwksUri that is not http(s)', () => {
    expect(refusal(withEntry({ jwksUri: 'ftp://login.example.com/certs' }))).toContain(
      'AWP_OIDC_ISSUERS[0].jwksUri: must be an http(s) URL',
    );
  });

  it('refuses fetching keys over plain http from a host other than loopback', () => {
    expect(refusal(withEntry({ jwksUri: 'http://login.example.com/certs' }))).toContain(
      'AWP_OIDC_ISSUERS[0].jwksUri: must use https',
    );
    expect(refusal([{ issuer: 'http://login.example.com', audience: 'a' }])).toContain(
      'AWP_OIDC_ISSUERS[0].issuer: must use https (plain http is accepted only for a loopback host) to discover keys',
    );
  });

  it('allows plain http discovery from a loopback issuer', () => {
    for (const loopback of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:80']) {
      expect(parse([{ issuer: loopback, audience: 'a' }])[0]?.issuer).toBe(loopback);
    }
  });

  it('refuses text that is not JSON', () => {
    expect(parseTrustedIssuers.bind(null, '[{issuer:', variable)).toThrow(
      /^invalid AWP_OIDC_ISSUERS: AWP_OIDC_ISSUERS: is not valid JSON/,
    );
  });

  it('refuses JSON that is not an array', () => {
    expect(refusal({ issuer, audience: 'a' })).toContain(
      'AWP_OIDC_ISSUERS: must be a JSON array of issuers',
    );
  });

  it('refuses private key material in fixed keys without echoing it', () => {
    const message = refusal(
      withEntry({ keys: { keys: [{ ...rsaPublicJwk, d: 'c2VjcmV0LXByaXZhdGUtZXhwb25lbnQ' }] } }),
    );
    expect(message).toContain('AWP_OIDC_ISSUERS[0].keys.keys[0]: must be a public key');
    expect(message).not.toContain('c2VjcmV0');
  });

  it('refuses a symmetric key in fixed keys', () => {
    expect(refusal(withEntry({ keys: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }))).toContain(
      'AWP_OIDC_ISSUERS[0].keys.keys[0].kty: must be RSA, EC or OKP',
    );
  });

  it('refuses a misspelt option instead of ignoring it', () => {
    expect(refusal(withEntry({ audiences: ['x'] } as never))).toContain('AWP_OIDC_ISSUERS[0]');
    expect(refusal(withEntry({ audiences: ['x'] } as never))).toContain('audiences');
  });

  it('refuses a clock tolerance above five minutes', () => {
    expect(refusal(withEntry({ clockToleranceSeconds: 3600 }))).toContain(
      'AWP_OIDC_ISSUERS[0].clockToleranceSeconds: must be at most 300 seconds',
    );
  });

  it('refuses a roleMap value that is not an AWP role', () => {
    expect(refusal(withEntry({ roleMap: { 'awp-admins': 'root' } }))).toContain(
      'AWP_OIDC_ISSUERS[0].roleMap.awp-admins: must be one of owner, admin, editor, operator, viewer',
    );
  });

  it('refuses a claim pointer with a bad escape', () => {
    expect(refusal(withEntry({ claims: { roles: '/realm_access/~2roles' } }))).toContain(
      'AWP_OIDC_ISSUERS[0].claims.roles: is not a valid JSON Pointer',
    );
  });

  it('refuses the same issuer configured twice', () => {
    expect(refusal([...withEntry({}), ...withEntry({ audience: 'other' })])).toContain(
      `AWP_OIDC_ISSUERS[1].issuer: '${issuer}' is configured twice`,
    );
  });

  it('reports every bad field at once, each as a violation', () => {
    try {
      parse([{ issuer: 'nope', algorithms: ['none'] }]);
      expect.unreachable('the configuration should be refused');
    } catch (error) {
      const fields = (error as AwpError).details.violations?.map((v) => v.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'AWP_OIDC_ISSUERS[0].issuer',
          'AWP_OIDC_ISSUERS[0].audience',
          'AWP_OIDC_ISSUERS[0].algorithms[0]',
        ]),
      );
    }
  });
});
