import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import { createJwtVerifier } from './jwtVerifier.js';
import { parseTrustedIssuers } from './trustedIssuers.js';
import type { TrustedIssuerInput } from './trustedIssuers.js';

/** A development issuer configured with fixed public keys: verification needs no network. */
const issuer = 'http://awp-dev.local';

interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(alg: 'ES256' | 'RS256', kid?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), ...(kid ? { kid } : {}), alg },
  };
}

function verifierFor(keys: JWK[], entry: Partial<TrustedIssuerInput> = {}) {
  const issuers = parseTrustedIssuers(
    JSON.stringify([{ issuer, audience: 'awp-api', keys: { keys }, ...entry }]),
    'TEST_ISSUERS',
  );
  return createJwtVerifier({ issuers });
}

const now = () => Math.floor(Date.now() / 1000);

function sign(
  key: KeyPair,
  alg: 'ES256' | 'RS256',
  claims: JWTPayload = {},
  kid = key.publicJwk.kid,
) {
  const payload = { iss: issuer, aud: 'awp-api', exp: now() + 300, sub: 'dev-user' };
  return new SignJWT({ ...payload, awp_account: 'acme', roles: ['owner'], ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .sign(key.privateKey);
}

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  expect((error as AwpError).code).toBe('unauthorized');
  return (error as AwpError).message;
}

describe('createJwtVerifier with a local keys issuer', () => {
  let ec: KeyPair;
  let rsa: KeyPair;
  let otherRsa: KeyPair;

  beforeAll(async () => {
    [ec, rsa, otherRsa] = await Promise.all([
      keyPair('ES256', 'dev-ec'),
      keyPair('RS256', 'dev-rsa'),
      keyPair('RS256'),
    ]);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('verifies a token signed with the matching private key, without any request', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const verifier = verifierFor([ec.publicJwk, rsa.publicJwk]);
    await expect(verifier.verify(await sign(ec, 'ES256'))).resolves.toEqual({
      actor: { type: 'user', id: 'dev-user' },
      accountId: 'acme',
      roles: ['owner'],
      credential: 'jwt',
    });
    await expect(verifier.verify(await sign(rsa, 'RS256'))).resolves.toMatchObject({
      actor: { id: 'dev-user' },
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    await verifier.close?.();
  });

  it('refuses a token signed by a key it was not given, under a known kid', async () => {
    const verifier = verifierFor([rsa.publicJwk]);
    const forged = await sign(otherRsa, 'RS256', {}, 'dev-rsa');
    expect(await refusalOf(verifier.verify(forged))).toBe("the token's signature does not verify");
  });

  it('refuses a token whose kid names no configured key', async () => {
    const verifier = verifierFor([rsa.publicJwk]);
    const token = await sign(otherRsa, 'RS256', {}, 'someone-else');
    expect(await refusalOf(verifier.verify(token))).toBe("the token's signing key is not known");
  });

  it('tries each fitting key for a token without kid', async () => {
    const withoutKid = (pair: KeyPair): JWK => ({ ...pair.publicJwk, kid: undefined });
    const verifier = verifierFor([withoutKid(otherRsa), withoutKid(rsa)]);
    await expect(verifier.verify(await sign(rsa, 'RS256', {}, ''))).resolves.toMatchObject({
      actor: { id: 'dev-user' },
    });
    const stranger = await keyPair('RS256');
    expect(await refusalOf(verifier.verify(await sign(stranger, 'RS256', {}, '')))).toBe(
      "the token's signature does not verify",
    );
  });

  it("refuses an algorithm outside the issuer's list before looking up a key", async () => {
    const verifier = verifierFor([ec.publicJwk, rsa.publicJwk], { algorithms: ['ES256'] });
    expect(await refusalOf(verifier.verify(await sign(rsa, 'RS256')))).toBe(
      "algorithm 'RS256' is not accepted",
    );
  });

  it('accepts a token expired within the clock tolerance, and not beyond it', async () => {
    const lenient = verifierFor([ec.publicJwk]);
    const strict = verifierFor([ec.publicJwk], { clockToleranceSeconds: 0 });
    const token = await sign(ec, 'ES256', { exp: now() - 10 });
    await expect(lenient.verify(token)).resolves.toMatchObject({ actor: { id: 'dev-user' } });
    expect(await refusalOf(strict.verify(token))).toBe('the token has expired');
  });

  it('accepts any one of several configured audiences', async () => {
    const verifier = verifierFor([ec.publicJwk], { audience: ['awp-cli', 'awp-api'] });
    await expect(verifier.verify(await sign(ec, 'ES256'))).resolves.toMatchObject({
      credential: 'jwt',
    });
  });

  it('passes claim-mapping refusals through unchanged', async () => {
    const verifier = verifierFor([ec.publicJwk]);
    const token = await sign(ec, 'ES256', { awp_account: 'no/slashes' });
    expect(await refusalOf(verifier.verify(token))).toBe(
      "the token's 'awp_account' claim is not a valid account id",
    );
  });
});

describe('the verified-token cache', () => {
  it('answers a token again without checking it, but never past its exp or the cache time', async () => {
    const key = await keyPair('ES256', 'cache-key');
    const issuers = parseTrustedIssuers(
      JSON.stringify([{ issuer, audience: 'awp-api', keys: { keys: [key.publicJwk] } }]),
      'TEST_ISSUERS',
    );
    let clock = Date.now();
    const verifier = createJwtVerifier({ issuers, verifiedCacheMs: 60_000, now: () => clock });
    const token = await sign(key, 'ES256', { exp: Math.floor(clock / 1000) + 120 });
    const first = await verifier.verify(token);
    // The same identity object: the second answer came from the cache.
    expect(await verifier.verify(token)).toBe(first);
    // Past the cache time it is checked again (a new object, still valid).
    clock += 61_000;
    const again = await verifier.verify(token);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    // Past its exp (and the 30 s clock tolerance) it is refused, though it was cached.
    clock += 120_000;
    vi.useFakeTimers({ toFake: ['Date'], now: clock });
    try {
      expect(await refusalOf(verifier.verify(token))).toBe('the token has expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('is only for the exact string: an altered token is checked, and refused', async () => {
    const key = await keyPair('ES256', 'cache-key-2');
    const verifier = verifierFor([key.publicJwk]);
    const token = await sign(key, 'ES256');
    await verifier.verify(token);
    const altered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect(await refusalOf(verifier.verify(altered))).toBe("the token's signature does not verify");
  });
});
