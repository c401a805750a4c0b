import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeWithServices } from '../../test/support/realServices.js';
import { startTestPlatform } from '../../test/support/testPlatform.js';
import type { TestPlatform } from '../../test/support/testPlatform.js';
import { createCli } from './awp.js';

/** Runs `awp token …` in this process with `env` as its environment, capturing the output. */
async function awpToken(argv: string[], env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await createCli().run(['token', ...argv]);
    const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
    return { code, stdout: text(out).trim(), stderr: text(err) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

describe('awp token', () => {
  let dataRoot: string;
  let platform: TestPlatform;
  let env: Record<string, string>;
  const get = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${platform.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'awp-token-'));
    env = { AWP_DATA_DIR: join(dataRoot, 'data'), AWP_DATABASE_URL: '', AWP_DEV_TOKENS: '' };
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('prints a token that `awp start` on the same data directory trusts, with its roles', async () => {
    // The token comes first: its key file is created now, and the platform finds it.
    const admin = await awpToken(['--account', 'acme', '--role', 'admin', '--user', 'alice'], env);
    expect(admin).toMatchObject({ code: 0, stderr: '' });
    const claims = decodeJwt(admin.stdout);
    expect(claims).toMatchObject({ sub: 'alice', awp_account: 'acme', roles: ['admin'] });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(12 * 3600);

    platform = await startTestPlatform('embedded', { AWP_DATA_DIR: env.AWP_DATA_DIR! });
    const policy = await get('/v1/outbound-policy', admin.stdout, {
      method: 'PUT',
      body: JSON.stringify({ allowHosts: ['api.acme.test'] }),
    });
    expect(policy.status).toBe(200);

    const viewer = await awpToken(['--account', 'acme', '--role', 'viewer', '--ttl', '5m'], env);
    expect(viewer.code).toBe(0);
    expect((await get('/v1/outbound-policy', viewer.stdout)).status).toBe(200);
    const refused = await get('/v1/outbound-policy', viewer.stdout, {
      method: 'PUT',
      body: JSON.stringify({ allowHosts: [] }),
    });
    expect(refused.status).toBe(403);
  });

  it('defaults to the owner role and the user "developer"', async () => {
    const run = await awpToken(['--account', 'globex'], env);
    expect(decodeJwt(run.stdout)).toMatchObject({ sub: 'developer', roles: ['owner'] });
  });

  it.each([
    ['no --account', [], 2, "required option '--account <id>'"],
    ['an unknown role', ['--account', 'a', '--role', 'root'], 2, 'unknown role root'],
    ['a malformed account', ['--account', 'a b'], 2, '--account must be'],
    ['a malformed user', ['--account', 'a', '--user', 'has space'], 2, '--user must be'],
    ['a malformed ttl', ['--account', 'a', '--ttl', 'soon'], 2, '--ttl must be a duration'],
    ['a ttl over 30 days', ['--account', 'a', '--ttl', '31d'], 2, '--ttl must be a duration'],
  ])('refuses %s (exit %s)', async (_what, argv, code, message) => {
    const run = await awpToken(argv as string[], env);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('refuses an in-memory data directory, which no other process could check', async () => {
    const run = await awpToken(['--account', 'a'], { ...env, AWP_DATA_DIR: 'memory://' });
    expect(run).toMatchObject({ code: 78, stdout: '' });
    expect(run.stderr).toContain('memory://');
  });

  it('refuses on the distributed profile unless AWP_DEV_TOKENS=true', async () => {
    const distributed = { ...env, AWP_DATABASE_URL: 'postgres://127.0.0.1:1/awp' };
    const run = await awpToken(['--account', 'a'], distributed);
    expect(run).toMatchObject({ code: 78, stdout: '' });
    expect(run.stderr).toContain('AWP_DEV_TOKENS=true');
    const enabled = await awpToken(['--account', 'a'], { ...distributed, AWP_DEV_TOKENS: 'true' });
    expect(enabled.code).toBe(0);
  });
});

describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'development tokens on the distributed profile',
  () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startTestPlatform('distributed');
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('are not trusted: 401, since no development issuer is', async () => {
      expect(platform.devIssuer).toBeUndefined();
      const dataRoot = await mkdtemp(join(tmpdir(), 'awp-token-'));
      try {
        const run = await awpToken(['--account', 'acme'], {
          AWP_DATA_DIR: join(dataRoot, 'data'),
          AWP_DATABASE_URL: '',
        });
        const response = await fetch(`${platform.url}/v1/workflows`, {
          headers: { authorization: `Bearer ${run.stdout}` },
        });
        expect(response.status).toBe(401);
      } finally {
        await rm(dataRoot, { recursive: true, force: true });
      }
    });
  },
);
