/**
 * Test support, not a spec: a real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the
 * JWT verifier's integration specs and the platform's authentication tests. Tokens come from
 * its token endpoint (client_credentials grant, JWT access tokens for the `awp-api` resource),
 * keys from its discovery document and JWKS endpoint.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { expect } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { parseTrustedIssuers } from '../../gateway/auth/jwt/trustedIssuers.js';
import type { TrustedIssuer, TrustedIssuerInput } from '../../gateway/auth/jwt/trustedIssuers.js';

/** An RS256 key pair in the forms the provider and the tests need. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Handed to the provider, which publishes only the public half. */
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A new RS256 key pair carrying `kid`, `alg` and `use: 'sig'`. */
export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const meta = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey,
    publicKey,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

const clientSecret = 'client-secret-for-these-tests-only';

/** What each client's tokens carry besides the standard claims (`sub` is the client id). */
const extraClaims: Record<string, Record<string, unknown>> = {
  'ci-robot': { awp_account: 'acme', roles: ['editor', 'viewer', 'superuser'] },
  'kc-robot': {
    'https://awp.dev/account': 'globex',
    realm_access: { roles: ['awp-admins', 'offline_access'] },
  },
};

function providerConfiguration(keys: readonly SigningKey[]): Configuration {
  return {
    jwks: { keys: keys.map((key) => key.privateJwk) },
    clients: Object.keys(extraClaims).map((clientId) => ({
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'https://awp.dev/api',
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: 'awp-api',
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: { ClientCredentials: 600 },
    extraTokenClaims: (_ctx, token) => extraClaims[token.clientId ?? ''],
  };
}

/** One issuer URL served by a replaceable provider, with a count of requests per path. */
export interface TestIdp {
  issuer: string;
  /** How many requests reached `path` so far. */
  requests(path: string): number;
  /** Replaces the provider by one publishing `keys`: a restart on the same port, as clients see it. */
  serve(keys: readonly SigningKey[]): void;
  /** Answers every request with `status` until `serve` is called again. */
  fail(status: number): void;
  token(clientId?: string): Promise<string>;
  close(): Promise<void>;
}

/** oidc-provider's default routes, counted by `TestIdp.requests`. */
export const jwksPath = '/jwks';
export const discoveryPath = '/.well-known/openid-configuration';

/** Listens on an ephemeral loopback port and returns it. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes `server`, dropping the keep-alive connections fetch leaves open. */
export async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Starts a provider that signs with the first of `keys` and publishes them all. */
export async function startIdp(keys: readonly SigningKey[]): Promise<TestIdp> {
  const server = http.createServer();
  const issuer = `http://127.0.0.1:${await listen(server)}`;
  const counts = new Map<string, number>();
  let handle: http.RequestListener = new Provider(issuer, providerConfiguration(keys)).callback();
  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    handle(req, res);
  });
  return {
    issuer,
    requests: (path) => counts.get(path) ?? 0,
    serve(next) {
      handle = new Provider(issuer, providerConfiguration(next)).callback();
    },
    fail(status) {
      handle = (_req, res) => res.writeHead(status).end();
    },
    async token(clientId = 'ci-robot') {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    close: () => stop(server),
  };
}

/** The verifier's configuration for `issuer`, through the same parser operators go through. */
export function trusted(issuer: string, entry: Partial<TrustedIssuerInput> = {}): TrustedIssuer[] {
  return parseTrustedIssuers(
    JSON.stringify([{ issuer, audience: 'awp-api', ...entry }]),
    'AWP_OIDC_ISSUERS',
  );
}

/** Seconds since the epoch, as JWT claims count time. */
export const now = () => Math.floor(Date.now() / 1000);
export const base64url = (text: string) => Buffer.from(text).toString('base64url');
export const segment = (value: object) => base64url(JSON.stringify(value));

/** A token for the `awp-api` audience, valid for 5 minutes, signed with `key` (RS256). */
export function handSigned(
  key: Pick<SigningKey, 'kid' | 'privateKey'>,
  claims: JWTPayload,
  kid: string = key.kid,
): Promise<string> {
  return new SignJWT({ aud: 'awp-api', sub: 'mallory', exp: now() + 300, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(key.privateKey);
}

/** The `AwpError` `promise` rejects with (the test fails if it resolves or throws another). */
export async function rejectionOf(promise: Promise<unknown>): Promise<AwpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  return error as AwpError;
}

/** The reason a token is refused with; also checks the reason does not quote the token. */
export async function refusalOf(promise: Promise<unknown>, token: string): Promise<string> {
  const error = await rejectionOf(promise);
  expect(error.code).toBe('unauthorized');
  for (const part of token.split('.').filter((p) => p.length > 8)) {
    expect(error.message).not.toContain(part);
  }
  return error.message;
}
