import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import { identityFromClaims } from './identityFromClaims.js';
import { parseTrustedIssuers } from './trustedIssuers.js';
import type { TrustedIssuer, TrustedIssuerInput } from './trustedIssuers.js';

function issuerWith(entry: Partial<TrustedIssuerInput> = {}): TrustedIssuer {
  const [issuer] = parseTrustedIssuers(
    JSON.stringify([{ issuer: 'https://idp.example.com', audience: 'awp-api', ...entry }]),
    'TEST_ISSUERS',
  );
  return issuer as TrustedIssuer;
}

/** `payload` is loosely typed: a signed payload is arbitrary JSON, whatever jose's types say. */
function refusalOf(payload: Record<string, unknown>, issuer = issuerWith()): string {
  try {
    identityFromClaims(payload as JWTPayload, issuer);
  } catch (error) {
    expect(error).toBeInstanceOf(AwpError);
    expect((error as AwpError).code).toBe('unauthorized');
    return (error as AwpError).message;
  }
  throw new Error('expected the claims to be refused');
}

describe('identityFromClaims', () => {
  it('maps sub, awp_account and roles with the default claim names', () => {
    expect(
      identityFromClaims(
        { sub: 'u-1', awp_account: 'acme', roles: ['viewer', 'admin'] },
        issuerWith(),
      ),
    ).toEqual({
      actor: { type: 'user', id: 'u-1' },
      accountId: 'acme',
      roles: ['admin', 'viewer'],
      credential: 'jwt',
    });
  });

  it('leaves accountId out when the account claim is absent', () => {
    const identity = identityFromClaims({ sub: 'u-1' }, issuerWith());
    expect(identity).toEqual({ actor: { type: 'user', id: 'u-1' }, roles: [], credential: 'jwt' });
    expect('accountId' in identity).toBe(false);
  });

  it('reads a top-level claim whose name is a URL verbatim', () => {
    const issuer = issuerWith({
      claims: { account: 'https://awp.dev/account', roles: 'awp:roles' },
    });
    expect(
      identityFromClaims(
        { sub: 'u-1', 'https://awp.dev/account': 'globex', 'awp:roles': 'editor' },
        issuer,
      ),
    ).toMatchObject({ accountId: 'globex', roles: ['editor'] });
  });

  it('reads nested claims through JSON Pointers, escapes included', () => {
    const issuer = issuerWith({
      claims: { user: '/profile/ids/0', account: '/org~1tenant/id', roles: '/realm_access/roles' },
    });
    const payload = {
      profile: { ids: ['u-7', 'u-8'] },
      'org/tenant': { id: 'initech' },
      realm_access: { roles: ['operator'] },
    };
    expect(identityFromClaims(payload, issuer)).toEqual({
      actor: { type: 'user', id: 'u-7' },
      accountId: 'initech',
      roles: ['operator'],
      credential: 'jwt',
    });
  });

  it('accepts roles as a space or comma separated string', () => {
    expect(
      identityFromClaims({ sub: 'u', roles: 'viewer  editor,operator' }, issuerWith()).roles,
    ).toEqual(['editor', 'operator', 'viewer']);
  });

  it('maps IdP roles through roleMap and ignores values that are not AWP roles', () => {
    const issuer = issuerWith({ roleMap: { 'awp-admins': 'admin', 'ops-team': 'operator' } });
    const payload = { sub: 'u', roles: ['awp-admins', 'offline_access', 'viewer', 'ops-team', 7] };
    expect(identityFromClaims(payload, issuer).roles).toEqual(['admin', 'operator', 'viewer']);
  });

  it('grants no roles for a roles claim of another shape', () => {
    expect(identityFromClaims({ sub: 'u', roles: { admin: true } }, issuerWith()).roles).toEqual(
      [],
    );
  });

  it('does not read claims from the prototype chain', () => {
    const issuer = issuerWith({ claims: { user: 'constructor' } });
    expect(refusalOf({ sub: 'u' }, issuer)).toBe(
      "the token's 'constructor' claim is not a usable user id",
    );
    const roleMapped = issuerWith({ roleMap: { admin: 'viewer' } });
    expect(identityFromClaims({ sub: 'u', roles: ['toString'] }, roleMapped).roles).toEqual([]);
  });

  it.each([
    ['missing', {}],
    ['empty', { sub: '' }],
    ['not a string', { sub: 42 }],
    ['longer than 256 characters', { sub: 'u'.repeat(257) }],
  ])('refuses a user claim that is %s', (_case, payload) => {
    expect(refusalOf(payload)).toBe("the token's 'sub' claim is not a usable user id");
  });

  it.each([
    ['a path', '../acme'],
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['not a string', 12],
    ['null', null],
  ])('refuses an account claim that is %s, naming the claim', (_case, account) => {
    expect(refusalOf({ sub: 'u', awp_account: account })).toBe(
      "the token's 'awp_account' claim is not a valid account id",
    );
  });
});
