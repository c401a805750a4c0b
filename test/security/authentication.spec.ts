import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { handSigned, now, segment, signingKey, startIdp } from '../support/oidcTestProvider.js';
import type { SigningKey, TestIdp } from '../support/oidcTestProvider.js';
import { freePort } from '../support/processes.js';
import { startTestPlatform } from '../support/testPlatform.js';
import type { TestPlatform } from '../support/testPlatform.js';

/**
 * Bearer tokens from a real OpenID Connect provider (oidc-provider on loopback), configured
 * through `AWP_OIDC_ISSUERS` as an operator would, against the whole platform: real tokens are
 * accepted with their account and roles; forged ones answer 401 and never reach a route.
 */
let idp: TestIdp;
let key: SigningKey;
let platform: TestPlatform;
let unreachableIssuer: string;

beforeAll(async () => {
  key = await signingKey('platform-key-1');
  idp = await startIdp([key]);
  unreachableIssuer = `http://127.0.0.1:${await freePort()}`;
  platform = await startTestPlatform('embedded', {
    AWP_OIDC_ISSUERS: JSON.stringify([
      { issuer: idp.issuer, audience: 'awp-api' },
      { issuer: unreachableIssuer, audience: 'awp-api' },
    ]),
  });
});
afterAll(async () => {
  await platform?.stop();
  await idp?.close();
});

const get = (path: string, headers: Record<string, string>) =>
  fetch(`${platform.url}${path}`, { headers });

describe('tokens from the identity provider', () => {
  it('act for the account and roles their claims name', async () => {
    // ci-robot: account acme, roles editor and viewer (and a "superuser" AWP does not know).
    const token = await idp.token('ci-robot');
    const bearer = { authorization: `Bearer ${token}` };
    expect((await get('/v1/workflows', bearer)).status).toBe(200);
    const created = await fetch(`${platform.url}/v1/workflows`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        document: `document: { dsl: '1.0.3', namespace: idp, name: by-robot, version: '1.0.0' }
do:
  - a: { set: { ok: true } }
`,
      }),
    });
    expect(created.status).toBe(201);
    // Editor, not admin: the allow-list stays closed to it.
    const policy = await fetch(`${platform.url}/v1/outbound-policy`, {
      method: 'PUT',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ allowHosts: [] }),
    });
    expect(policy.status).toBe(403);
  });

  it('stay out of another tenant: the robot of acme does not see globex', async () => {
    const globex = await idp.token('kc-robot');
    const acme = await idp.token('ci-robot');
    // The list is a read model: the workflow shows there once projected.
    await eventually(async () => {
      const list = await get('/v1/workflows', { authorization: `Bearer ${acme}` });
      return (await list.text()).includes('by-robot') ? true : undefined;
    });
    const globexList = await (
      await get('/v1/workflows', { authorization: `Bearer ${globex}` })
    ).text();
    expect(globexList).not.toContain('by-robot');
  });
});

describe('forged and unacceptable tokens', () => {
  const forgeries: Array<[string, () => Promise<string>]> = [
    [
      'alg none',
      async () =>
        `${segment({ alg: 'none', typ: 'JWT' })}.${segment({ iss: idp.issuer, aud: 'awp-api', sub: 'm', exp: now() + 300, awp_account: 'acme', roles: ['owner'] })}.`,
    ],
    [
      'a payload altered after signing',
      async () => {
        const [header, , signature] = (await idp.token('ci-robot')).split('.');
        return `${header}.${segment({ iss: idp.issuer, aud: 'awp-api', sub: 'ci-robot', exp: now() + 300, awp_account: 'acme', roles: ['owner'] })}.${signature}`;
      },
    ],
    [
      'a signature from another key under the trusted kid',
      async () =>
        handSigned(await signingKey(key.kid), {
          iss: idp.issuer,
          awp_account: 'acme',
          roles: ['owner'],
        }),
    ],
    [
      'an expired token',
      async () => handSigned(key, { iss: idp.issuer, awp_account: 'acme', exp: now() - 3600 }),
    ],
    [
      'a token not valid yet',
      async () => handSigned(key, { iss: idp.issuer, awp_account: 'acme', nbf: now() + 3600 }),
    ],
    [
      'another audience',
      async () => handSigned(key, { iss: idp.issuer, aud: 'someone-else', awp_account: 'acme' }),
    ],
    [
      'an untrusted issuer',
      async () => handSigned(key, { iss: 'https://evil.example', awp_account: 'acme' }),
    ],
    ['not a token at all', async () => 'not-a-jwt'],
  ];

  it.each(forgeries)(
    'refuses %s with 401 problem+json, quoting nothing of it',
    async (_what, make) => {
      const token = await make();
      const response = await get('/v1/workflows', { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = await response.text();
      for (const part of token.split('.').filter((p) => p.length > 8)) {
        expect(body).not.toContain(part);
      }
    },
  );

  it('answers 503 when the token’s issuer cannot be reached, not 401', async () => {
    const token = await handSigned(key, { iss: unreachableIssuer, awp_account: 'acme' });
    const response = await get('/v1/workflows', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(503);
  });

  it('refuses other schemes and mixed credentials', async () => {
    const token = await idp.token('ci-robot');
    const cases: Array<Record<string, string>> = [
      { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${'a'.repeat(16_000)}` },
      { authorization: `Bearer ${token}`, 'x-awp-account': 'globex' },
    ];
    for (const headers of cases) {
      expect(
        (await get('/v1/workflows', headers)).status,
        JSON.stringify(headers).slice(0, 80),
      ).toBe(401);
    }
  });
});
