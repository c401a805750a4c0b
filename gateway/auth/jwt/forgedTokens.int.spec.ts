import { exportSPKI, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from './jwtVerifier.js';
import {
  base64url,
  handSigned,
  jwksPath,
  now,
  refusalOf,
  segment,
  signingKey,
  startIdp,
  trusted,
} from '../../../test/support/oidcTestProvider.js';
import type { SigningKey, TestIdp } from '../../../test/support/oidcTestProvider.js';

/**
 * Tokens an attacker (or a confused client) may present to the gateway, each refused with its
 * own reason. Genuine ones come from a real provider; forgeries use its published key material.
 */
describe('createJwtVerifier refuses forged and unacceptable tokens', () => {
  let key: SigningKey;
  let idp: TestIdp;

  beforeAll(async () => {
    key = await signingKey('idp-key-1');
    idp = await startIdp([key]);
  });

  afterAll(async () => {
    await idp.close();
  });

  const verifier = () => createJwtVerifier({ issuers: trusted(idp.issuer) });
  const expectRefused = async (token: string, reason: string) =>
    expect(await refusalOf(verifier().verify(token), token)).toBe(reason);

  it('refuses a hand-built token with alg none', async () => {
    const claims = { iss: idp.issuer, aud: 'awp-api', sub: 'mallory', exp: now() + 300 };
    const token = `${segment({ alg: 'none', typ: 'JWT' })}.${segment(claims)}.`;
    await expectRefused(token, "algorithm 'none' is not accepted");
  });

  it('refuses a genuine token whose signature was altered', async () => {
    const [header, payload, signature] = (await idp.token()).split('.') as [string, string, string];
    const flipped = signature[40] === 'A' ? 'B' : 'A';
    const altered = `${signature.slice(0, 40)}${flipped}${signature.slice(41)}`;
    await expectRefused(`${header}.${payload}.${altered}`, "the token's signature does not verify");
  });

  it('refuses a genuine token whose payload was altered to grant more roles', async () => {
    const [header, payload, signature] = (await idp.token()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload;
    const escalated = segment({ ...claims, roles: ['owner'] });
    await expectRefused(
      `${header}.${escalated}.${signature}`,
      "the token's signature does not verify",
    );
  });

  it.each(['PEM', 'JWK'])(
    "refuses an HS256 token keyed with the provider's public key (%s) without fetching keys",
    async (form) => {
      const publicKey =
        form === 'PEM' ? await exportSPKI(key.publicKey) : JSON.stringify(key.publicJwk);
      const token = await new SignJWT({ aud: 'awp-api', sub: 'mallory', exp: now() + 300 })
        .setIssuer(idp.issuer)
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .sign(new TextEncoder().encode(publicKey));
      const jwksRequests = idp.requests(jwksPath);
      await expectRefused(token, "algorithm 'HS256' is not accepted");
      expect(idp.requests(jwksPath)).toBe(jwksRequests);
    },
  );

  it('refuses a token from another, untrusted provider', async () => {
    const stranger = await startIdp([await signingKey('idp-key-1')]);
    try {
      await expectRefused(await stranger.token(), "the token's issuer is not trusted");
    } finally {
      await stranger.close();
    }
  });

  it("refuses a token signed with the provider's own key that names another issuer", async () => {
    const token = await handSigned(key, { iss: 'https://login.evil.example' });
    await expectRefused(token, "the token's issuer is not trusted");
  });

  it('refuses a token without an issuer', async () => {
    await expectRefused(await handSigned(key, {}), "the token's issuer is not trusted");
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const attacker = await signingKey('idp-key-1');
    await expectRefused(
      await handSigned(attacker, { iss: idp.issuer }),
      "the token's signature does not verify",
    );
    await expectRefused(
      await handSigned(attacker, { iss: idp.issuer }, 'attacker-key'),
      "the token's signing key is not known",
    );
  });

  it('refuses a token for another audience', async () => {
    const token = await handSigned(key, { iss: idp.issuer, aud: 'billing-api' });
    await expectRefused(token, "the token's audience is not accepted");
  });

  it('refuses a token that expired beyond the clock tolerance', async () => {
    const token = await handSigned(key, { iss: idp.issuer, exp: now() - 60 });
    await expectRefused(token, 'the token has expired');
  });

  it('refuses a token that is not valid yet beyond the clock tolerance', async () => {
    const token = await handSigned(key, { iss: idp.issuer, nbf: now() + 120 });
    await expectRefused(token, 'the token is not valid yet');
  });

  it('refuses a token without an expiry', async () => {
    const token = await handSigned(key, { iss: idp.issuer, exp: undefined });
    await expectRefused(token, 'the token has no expiry');
  });

  it.each([
    ['of two parts', `${segment({ alg: 'RS256' })}.${segment({ sub: 'x' })}`],
    ['in five parts (an encrypted JWT)', 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'],
    ['not base64url', '!!!.@@@.###'],
    ['with a header that is not JSON', `${base64url('{alg')}.${segment({ sub: 'x' })}.c2ln`],
    ['with claims that are not an object', `${segment({ alg: 'RS256' })}.${base64url('[1]')}.c2ln`],
    ['empty', ''],
  ])('refuses a token %s as malformed', async (_case, token) => {
    await expectRefused(token, 'the token is malformed');
  });

  it('refuses an oversized token without decoding it', async () => {
    const huge = `${segment({ alg: 'RS256' })}.${base64url('x'.repeat(100_000))}.c2ln`;
    await expectRefused(huge, 'the token is too large');
  });
});
