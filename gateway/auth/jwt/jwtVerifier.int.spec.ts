import http from 'node:http';
import { decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJwtVerifier } from './jwtVerifier.js';
import {
  discoveryPath,
  handSigned,
  jwksPath,
  listen,
  refusalOf,
  rejectionOf,
  signingKey,
  startIdp,
  stop,
  trusted,
} from '../../../test/support/oidcTestProvider.js';
import type { SigningKey, TestIdp } from '../../../test/support/oidcTestProvider.js';
import type { TrustedIssuer } from './trustedIssuers.js';

/** The verifier with tokens and keys from a real OpenID Connect provider on 127.0.0.1. */
describe('createJwtVerifier against a real OpenID Connect provider', () => {
  let key: SigningKey;
  let idp: TestIdp;

  beforeAll(async () => {
    key = await signingKey('idp-key-1');
    idp = await startIdp([key]);
  });

  afterAll(async () => {
    await idp.close();
  });

  it('verifies a provider-issued access token through discovery, mapping user, account and roles', async () => {
    const verifier = createJwtVerifier({ issuers: trusted(idp.issuer) });
    await expect(verifier.verify(await idp.token())).resolves.toEqual({
      actor: { type: 'user', id: 'ci-robot' },
      accountId: 'acme',
      roles: ['editor', 'viewer'],
      credential: 'jwt',
    });
  });

  it('reads a Keycloak-style nested roles claim through a JSON Pointer and maps it with roleMap', async () => {
    const issuers = trusted(idp.issuer, {
      claims: { account: 'https://awp.dev/account', roles: '/realm_access/roles' },
      roleMap: { 'awp-admins': 'admin' },
    });
    const verifier = createJwtVerifier({ issuers });
    await expect(verifier.verify(await idp.token('kc-robot'))).resolves.toEqual({
      actor: { type: 'user', id: 'kc-robot' },
      accountId: 'globex',
      roles: ['admin'],
      credential: 'jwt',
    });
  });

  it('fetches discovery and the JWKS once for many verifications, concurrent first ones included', async () => {
    const token = await idp.token();
    const before = { discovery: idp.requests(discoveryPath), jwks: idp.requests(jwksPath) };
    const verifier = createJwtVerifier({ issuers: trusted(idp.issuer) });
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    for (let i = 0; i < 20; i += 1) {
      await verifier.verify(token);
    }
    expect(idp.requests(discoveryPath) - before.discovery).toBe(1);
    expect(idp.requests(jwksPath) - before.jwks).toBe(1);
  });

  it('fetches a configured jwksUri directly, without discovery', async () => {
    const before = idp.requests(discoveryPath);
    const verifier = createJwtVerifier({
      issuers: trusted(idp.issuer, { jwksUri: `${idp.issuer}${jwksPath}` }),
    });
    await expect(verifier.verify(await idp.token())).resolves.toMatchObject({
      actor: { id: 'ci-robot' },
    });
    expect(idp.requests(discoveryPath)).toBe(before);
  });

  describe('key rotation', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('picks up a rotated-in key after the cooldown and drops a rotated-out one once the cache expires', async () => {
      // jose measures cooldown and cache age with Date.now(): moving the clock beats sleeping.
      vi.useFakeTimers({ toFake: ['Date'] });
      const [oldKey, newKey] = await Promise.all([signingKey('old-key'), signingKey('new-key')]);
      const rotating = await startIdp([oldKey]);
      try {
        const verifier = createJwtVerifier({
          issuers: trusted(rotating.issuer),
          jwksCooldownMs: 30_000,
          jwksCacheMaxAgeMs: 120_000,
        });
        const oldToken = await rotating.token();
        await expect(verifier.verify(oldToken)).resolves.toMatchObject({ credential: 'jwt' });

        rotating.serve([newKey, oldKey]);
        const newToken = await rotating.token();
        expect(decodeProtectedHeader(newToken).kid).toBe('new-key');
        // Within the cooldown an unknown kid does not make the verifier hammer the IdP.
        expect(await refusalOf(verifier.verify(newToken), newToken)).toBe(
          "the token's signing key is not known",
        );
        expect(rotating.requests(jwksPath)).toBe(1);

        vi.setSystemTime(Date.now() + 31_000);
        await expect(verifier.verify(newToken)).resolves.toMatchObject({ credential: 'jwt' });
        await expect(verifier.verify(oldToken)).resolves.toMatchObject({ credential: 'jwt' });
        expect(rotating.requests(jwksPath)).toBe(2);

        rotating.serve([newKey]);
        await expect(verifier.verify(oldToken)).resolves.toMatchObject({ credential: 'jwt' });
        vi.setSystemTime(Date.now() + 121_000);
        expect(await refusalOf(verifier.verify(oldToken), oldToken)).toBe(
          "the token's signing key is not known",
        );
        await expect(verifier.verify(newToken)).resolves.toMatchObject({ credential: 'jwt' });
        expect(rotating.requests(jwksPath)).toBe(3);
      } finally {
        await rotating.close();
      }
    });
  });

  describe('an unreachable identity provider', () => {
    async function closedPortIssuer(): Promise<string> {
      const server = http.createServer();
      const port = await listen(server);
      await stop(server);
      return `http://127.0.0.1:${port}`;
    }

    async function unavailability(issuers: TrustedIssuer[], iss: string, timeoutMs?: number) {
      const verifier = createJwtVerifier({ issuers, ...(timeoutMs ? { timeoutMs } : {}) });
      const error = await rejectionOf(verifier.verify(await handSigned(key, { iss })));
      expect(error.code).toBe('unavailable');
      expect(error.retryable).toBe(true);
      return error.message;
    }

    it('answers unavailable, not unauthorized, when discovery cannot connect', async () => {
      const issuer = await closedPortIssuer();
      expect(await unavailability(trusted(issuer), issuer)).toBe(
        `cannot reach the identity provider '${issuer}': the connection failed`,
      );
    });

    it('answers unavailable when the JWKS endpoint cannot connect', async () => {
      const issuer = await closedPortIssuer();
      const issuers = trusted(issuer, { jwksUri: `${issuer}/jwks` });
      expect(await unavailability(issuers, issuer)).toBe(
        `cannot reach the identity provider '${issuer}': its key set could not be fetched`,
      );
    });

    it('answers unavailable when the identity provider does not answer in time', async () => {
      const silent = http.createServer(() => undefined);
      const issuer = `http://127.0.0.1:${await listen(silent)}`;
      try {
        expect(await unavailability(trusted(issuer), issuer, 200)).toBe(
          `cannot reach the identity provider '${issuer}': no answer within 200 ms`,
        );
        const issuers = trusted(issuer, { jwksUri: `${issuer}/jwks` });
        expect(await unavailability(issuers, issuer, 200)).toBe(
          `cannot reach the identity provider '${issuer}': its key set gave no answer within 200 ms`,
        );
      } finally {
        await stop(silent);
      }
    });

    it('refuses keys from a discovery document that names another issuer, as a misconfiguration', async () => {
      // The provider's document names the issuer without the trailing slash configured here.
      const configured = `${idp.issuer}/`;
      const verifier = createJwtVerifier({ issuers: trusted(configured) });
      const error = await rejectionOf(verifier.verify(await handSigned(key, { iss: configured })));
      expect(error.code).toBe('unavailable');
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(
        `cannot reach the identity provider '${configured}': its discovery document names a different issuer`,
      );
    });

    it('tries discovery again after a failure and verifies once the provider is back', async () => {
      const flaky = await startIdp([key]);
      try {
        const token = await flaky.token();
        const verifier = createJwtVerifier({ issuers: trusted(flaky.issuer) });
        flaky.fail(503);
        const error = await rejectionOf(verifier.verify(token));
        expect(error.code).toBe('unavailable');
        expect(error.message).toBe(
          `cannot reach the identity provider '${flaky.issuer}': its discovery document answered HTTP 503`,
        );
        flaky.serve([key]);
        await expect(verifier.verify(token)).resolves.toMatchObject({ actor: { id: 'ci-robot' } });
      } finally {
        await flaky.close();
      }
    });
  });
});
