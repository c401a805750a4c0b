import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { freePort, runAwp } from './support/processes.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

const adminToken = 'cli-admin-token-0123456789';

/** `awp events …`, `awp projections …` and `awp secrets …` as real processes against a running platform. */
describe('audit CLI', () => {
  let platform: TestPlatform;
  const accounts: string[] = [];
  const awp = async (args: string[], env: Record<string, string> = {}) => {
    const run = runAwp(args, { AWP_URL: platform.url, AWP_ADMIN_TOKEN: adminToken, ...env });
    const code = await run.exited;
    return { code, output: run.output() };
  };
  const createTenant = async (name: string) => {
    const response = await fetch(`${platform.url}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    return ((await response.json()) as { accountId: string }).accountId;
  };

  beforeAll(async () => {
    platform = await startTestPlatform('embedded', { AWP_ADMIN_TOKEN: adminToken });
    for (const name of ['Cli One', 'Cli Two']) accounts.push(await createTenant(name));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('prints a stream', async () => {
    const { code, output } = await awp(['events', 'stream', `tenant-${accounts[0]}`]);
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`TenantCreated +tenant-${accounts[0]}@1`));
    expect(output).toContain('"accountName":"Cli One"');
  });

  it('exports one account as NDJSON, in a time range', async () => {
    const all = await awp(['events', 'export', '--account', accounts[1]!]);
    expect(all.code).toBe(0);
    const lines = all.output.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ type: 'TenantCreated', accountId: accounts[1] }),
    ]);
    expect(all.output).toContain(`exported 1 event(s) of account ${accounts[1]}`);
    const none = await awp([
      'events',
      'export',
      '--account',
      accounts[1]!,
      '--from',
      '2020-01-01',
      '--to',
      '2020-01-02',
    ]);
    expect(none.code).toBe(0);
    expect(none.output).toContain('exported 0 event(s)');
  });

  it('follows new events with tail, filtered by type, until interrupted', async () => {
    const tail = runAwp(['events', 'tail', '--json', '--type', 'TenantCreated'], {
      AWP_URL: platform.url,
      AWP_ADMIN_TOKEN: adminToken,
    });
    await eventually(
      async () => (tail.output().includes('following new events') ? true : undefined),
      { timeoutMs: 20_000 },
    );
    const fresh = await createTenant('Cli Tailed');
    await eventually(async () => (tail.output().includes(fresh) ? true : undefined), {
      timeoutMs: 15_000,
    });
    expect(tail.output()).not.toContain(accounts[0]); // it started at the head, not the beginning
    tail.child.kill('SIGINT');
    expect(await tail.exited).toBe(0);
  });

  it('lists projections and rebuilds one', async () => {
    const list = await awp(['projections', 'list']);
    expect(list.code).toBe(0);
    expect(list.output).toMatch(/PROJECTION +APPLIED +LAG/);
    expect(list.output).toMatch(/platform\.tenants +\d+ +\d+/);
    const rebuild = await awp(['projections', 'rebuild', 'platform.tenants']);
    expect(rebuild.code).toBe(0);
    expect(rebuild.output).toMatch(/rebuilt platform\.tenants: replayed \d+ event\(s\)/);
  });

  it.each([
    ['an unknown projection', ['projections', 'rebuild', 'nope'], 1, "no projection named 'nope'"],
    [
      'an unknown stream',
      ['events', 'stream', 'tenant-nobody'],
      1,
      "stream 'tenant-nobody' has no events",
    ],
    ['export without --account', ['events', 'export'], 2, "required option '--account"],
    [
      'a malformed --from',
      ['events', 'export', '--account', 'a', '--from', 'yesterday'],
      2,
      '--from must be an ISO-8601',
    ],
  ])('explains %s', async (_label, args, exitCode, message) => {
    const { code, output } = await awp(args);
    expect(output).toContain(message);
    expect(code).toBe(exitCode);
  });

  it('says so when the admin token is missing or wrong (exit 77)', async () => {
    const missing = await awp(['projections', 'list'], { AWP_ADMIN_TOKEN: '' });
    expect(missing.code).toBe(77);
    expect(missing.output).toContain('Authorization: Bearer');
    const wrong = await awp(['projections', 'list'], {
      AWP_ADMIN_TOKEN: 'wrong-token-wrong-token',
    });
    expect(wrong.code).toBe(77);
    expect(wrong.output).not.toContain(adminToken);
  });

  it('re-wraps the secret store under the current master key', async () => {
    const stored = await fetch(`${platform.url}/v1/secrets/cliSecret`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-awp-account': accounts[0]! },
      body: JSON.stringify({ value: 'cli-secret-value' }),
    });
    expect(stored.status).toBe(201);
    // Already under the current key: nothing to move, and nothing printed of the value.
    const { code, output } = await awp(['secrets', 'rewrap']);
    expect(code).toBe(0);
    expect(output).toContain('re-wrapped 0 secret(s) under the current master key');
    expect(output).not.toContain('cli-secret-value');
    const refused = await awp(['secrets', 'rewrap'], { AWP_ADMIN_TOKEN: '' });
    expect(refused.code).toBe(77);
  });

  it('says where it looked when no platform answers (exit 69)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, output } = await awp(['projections', 'list', '--url', url]);
    expect(code).toBe(69);
    expect(output).toContain(`cannot reach AWP at ${url} (ECONNREFUSED)`);
  });
});
