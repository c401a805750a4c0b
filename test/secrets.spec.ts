import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../infra/secrets/localMasterKeys.js';
import { embeddedKeyFile } from '../infra/secrets/masterKeySource.js';
import { eventually } from './support/eventually.js';
import { sendJson, startHttpServer } from './support/servers/index.js';
import type { StartedHttpServer } from './support/servers/index.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * The tenant's secret store end to end: written through `/v1/secrets`, never read back, used by
 * the account's workflows only, encrypted on disk, and carried across a master-key rotation.
 */

/** Every request the customer API receives answers with its Authorization header, echoed. */
async function startEchoApi(): Promise<StartedHttpServer> {
  return startHttpServer((request, response) =>
    sendJson(response, 200, { authorization: request.headers.authorization ?? null }),
  );
}

const chargingWorkflow = (baseUrl: string, name: string) => `
document: { dsl: '1.0.3', namespace: payments, name: ${name}, version: '1.0.0' }
use:
  secrets: [paymentKey]
  authentications:
    payments: { bearer: { use: paymentKey } }
do:
  - charge:
      call: http
      with:
        method: post
        endpoint: { uri: ${baseUrl}/charges, authentication: { use: payments } }
        body: { amount: 42 }
`;

function client(platform: () => TestPlatform) {
  const call = (account: string | undefined, path: string, init: RequestInit = {}) =>
    fetch(`${platform().url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(account ? { 'x-awp-account': account } : {}),
        ...(init.headers ?? {}),
      },
    });
  const putSecret = (account: string | undefined, name: string, body: unknown) =>
    call(account, `/v1/secrets/${name}`, {
      method: 'PUT',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  async function runWorkflow(account: string, document: string, input: unknown = {}) {
    const created = await call(account, '/v1/workflows', {
      method: 'POST',
      body: JSON.stringify({ document }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { workflowId } = (await created.json()) as { workflowId: string };
    const started = await call(account, `/v1/workflows/${workflowId}/executions`, {
      method: 'POST',
      body: JSON.stringify({ input }),
    });
    expect(started.status).toBe(202);
    const { executionId } = (await started.json()) as { executionId: string };
    const view = await eventually(async () => {
      const current = (await (await call(account, `/v1/executions/${executionId}`)).json()) as {
        status: string;
      };
      return ['completed', 'faulted'].includes(current.status) ? current : undefined;
    });
    return { executionId, view: view as { status: string; output?: unknown; error?: unknown } };
  }
  return { call, putSecret, runWorkflow };
}

describe('the secrets API', () => {
  let platform: TestPlatform;
  let customer: StartedHttpServer;
  const logLines: string[] = [];
  const { call, putSecret, runWorkflow } = client(() => platform);
  const token = `tok_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    customer = await startEchoApi();
    // Every line the platform logs, at the most talkative level, kept for the grep below.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    platform = await startTestPlatform(
      'embedded',
      { AWP_OUTBOUND_ALLOW_HOSTS: '127.0.0.1' },
      { logger: pino({ level: 'trace' }, sink) },
    );
  });
  afterAll(async () => {
    await platform?.stop();
    await customer?.close();
  });

  it('stores a value and answers with its metadata only, never the value', async () => {
    const created = await putSecret('acme', 'paymentKey', { value: { token } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/secrets/paymentKey');
    expect(created.headers.get('cache-control')).toBe('no-store');
    const body = await created.text();
    expect(body).not.toContain(token);
    expect(JSON.parse(body)).toMatchObject({
      name: 'paymentKey',
      version: 1,
      updatedBy: { type: 'user', id: 'anonymous' },
    });

    const one = await call('acme', '/v1/secrets/paymentKey');
    expect(one.status).toBe(200);
    const list = await call('acme', '/v1/secrets');
    const listed = await list.text();
    for (const text of [await one.text(), listed]) expect(text).not.toContain(token);
    expect(JSON.parse(listed)).toEqual({
      items: [expect.objectContaining({ name: 'paymentKey', version: 1 })],
    });
  });

  it('gives the value to the account’s workflows, and keeps it out of their events', async () => {
    const { executionId, view } = await runWorkflow(
      'acme',
      chargingWorkflow(customer.baseUrl, 'charge'),
    );
    expect(view.status).toBe('completed');
    expect(customer.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    // The customer echoed the header; the execution's view and events show it redacted.
    expect(JSON.stringify(view)).not.toContain(token);
    const events = await call(undefined, `/v1/admin/streams/execution-${executionId}/events`);
    const text = await events.text();
    expect(text).toContain('TaskCompleted');
    expect(text).not.toContain(token);
  });

  it('replaces the value (rotation): version 2, and the next execution uses the new one', async () => {
    const rotated = `${token}-rotated`;
    const replaced = await putSecret('acme', 'paymentKey', { value: { token: rotated } });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('location')).toBeNull();
    expect(await replaced.json()).toMatchObject({ name: 'paymentKey', version: 2 });
    const { view } = await runWorkflow('acme', chargingWorkflow(customer.baseUrl, 'charge-again'));
    expect(view.status).toBe('completed');
    expect(customer.requests.at(-1)?.headers.authorization).toBe(`Bearer ${rotated}`);
  });

  it('records each change as SecretChanged, with name and version but no value', async () => {
    const response = await call(undefined, '/v1/admin/streams/secret-acme:paymentKey/events');
    expect(response.status).toBe(200);
    const { events } = (await response.json()) as {
      events: Array<{ type: string; accountId: string; data: Record<string, unknown> }>;
    };
    expect(events.map((event) => [event.type, event.data.change, event.data.version])).toEqual([
      ['SecretChanged', 'written', 1],
      ['SecretChanged', 'written', 2],
    ]);
    expect(events.every((event) => event.accountId === 'acme')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('hides one account’s secrets from another: 404, an empty list, and nothing to delete', async () => {
    expect((await call('globex', '/v1/secrets/paymentKey')).status).toBe(404);
    expect(await (await call('globex', '/v1/secrets')).json()).toEqual({ items: [] });
    const removed = await call('globex', '/v1/secrets/paymentKey', { method: 'DELETE' });
    expect(removed.status).toBe(404);
    expect((await call('acme', '/v1/secrets/paymentKey')).status).toBe(200);
  });

  it('does not hand another account’s secret to its workflows', async () => {
    const { view } = await runWorkflow('globex', chargingWorkflow(customer.baseUrl, 'charge'));
    // Globex has no `paymentKey`: the authentication cannot be built, and nothing is sent.
    expect(view.status).toBe('faulted');
    expect(JSON.stringify(view)).not.toContain(token);
    expect(customer.requests.some((r) => r.headers.authorization?.includes('globex'))).toBe(false);
  });

  it('asks for an account: 401 without one', async () => {
    for (const [method, path] of [
      ['GET', '/v1/secrets'],
      ['GET', '/v1/secrets/paymentKey'],
      ['PUT', '/v1/secrets/paymentKey'],
      ['DELETE', '/v1/secrets/paymentKey'],
    ] as const) {
      const response = await call(undefined, path, {
        method,
        ...(method === 'PUT' ? { body: JSON.stringify({ value: 'x' }) } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses malformed, incomplete, oversized and badly named writes, storing nothing', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['malformed JSON', 'ok_name', '{"value": ', 400, ''],
      ['no value', 'ok_name', {}, 400, 'value'],
      ['a null value', 'ok_name', { value: null }, 400, 'value'],
      ['an unknown field', 'ok_name', { value: 'x', note: 'y' }, 400, 'note'],
      ['a name jq cannot read', 'bad-name', { value: 'x' }, 400, 'name'],
      ['a name too long', 'n'.repeat(129), { value: 'x' }, 400, 'name'],
      ['a value over 64 KiB', 'ok_name', { value: 'x'.repeat(70 * 1024) }, 400, '64 KiB'],
      ['a body over the limit', 'ok_name', { value: 'x'.repeat(1_100_000) }, 413, ''],
    ];
    for (const [what, name, body, status, mention] of cases) {
      const response = await putSecret('acme', name, body);
      expect(response.status, what).toBe(status);
      expect(response.headers.get('content-type'), what).toContain('application/problem+json');
      expect(await response.text(), what).toContain(mention);
    }
    expect((await call('acme', '/v1/secrets/ok_name')).status).toBe(404);
  });

  it('deletes: 204, then 404 for reads, deletes and workflows', async () => {
    expect((await putSecret('acme', 'shortLived', { value: 'x' })).status).toBe(201);
    expect((await call('acme', '/v1/secrets/shortLived', { method: 'DELETE' })).status).toBe(204);
    expect((await call('acme', '/v1/secrets/shortLived')).status).toBe(404);
    expect((await call('acme', '/v1/secrets/shortLived', { method: 'DELETE' })).status).toBe(404);
    const names = ((await (await call('acme', '/v1/secrets')).json()) as { items: [] }).items;
    expect(names).not.toContainEqual(expect.objectContaining({ name: 'shortLived' }));
    // Written again after a delete, it starts a new version, not over at 1.
    const again = await putSecret('acme', 'shortLived', { value: 'y' });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ version: 3 });
  });

  it('never logs a secret value, at any level', async () => {
    expect(logLines.length).toBeGreaterThan(10);
    const leaks = logLines.filter((line) => line.includes(token.slice(4)));
    expect(leaks).toEqual([]);
  });
});

describe('secrets at rest and master-key rotation (embedded, on disk)', () => {
  let dataRoot: string;
  let customer: StartedHttpServer;
  let platform: TestPlatform;
  const { putSecret, runWorkflow, call } = client(() => platform);
  const token = `tok_${randomBytes(12).toString('hex')}`;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  const start = (env: Record<string, string>) =>
    startTestPlatform('embedded', {
      AWP_DATA_DIR: join(dataRoot, 'data'),
      AWP_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      ...env,
    });

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'awp-secrets-'));
    customer = await startEchoApi();
  });
  afterAll(async () => {
    await platform?.stop();
    await customer?.close();
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('generates a key file (0600) on the first embedded start and keeps using it', async () => {
    const dir = join(dataRoot, 'keyless');
    platform = await startTestPlatform('embedded', { AWP_DATA_DIR: dir });
    expect((await putSecret('acme', 'kept', { value: 'v' })).status).toBe(201);
    await platform.stop();
    const keyFile = embeddedKeyFile(dir);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    platform = await startTestPlatform('embedded', {
      AWP_DATA_DIR: dir,
      AWP_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    });
    expect((await putSecret('acme', 'paymentKey', { value: { token } })).status).toBe(201);
    const { view } = await runWorkflow('acme', chargingWorkflow(customer.baseUrl, 'keyfile'));
    expect(view.status).toBe('completed');
    expect(customer.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    await platform.stop();
  });

  it('keeps no plaintext anywhere in the database files', async () => {
    platform = await start({ AWP_SECRETS_KEY: oldKey.toString('base64') });
    expect((await putSecret('acme', 'paymentKey', { value: { token } })).status).toBe(201);
    const { view } = await runWorkflow('acme', chargingWorkflow(customer.baseUrl, 'at-rest'), {
      note: 'at-rest-control-amount',
    });
    expect(view.status).toBe('completed');
    await platform.stop();
    const needle = Buffer.from(token.slice(4));
    // The control: a string stored in plain (the execution's input) is found by the same scan.
    const control = Buffer.from('at-rest-control-amount');
    const holding = [];
    let controlFound = false;
    for (const file of await filesUnder(join(dataRoot, 'data'))) {
      const content = await readFile(file);
      if (content.includes(needle)) holding.push(file);
      if (content.includes(control)) controlFound = true;
    }
    expect(controlFound).toBe(true);
    expect(holding).toEqual([]);
  });

  it('re-wraps every secret under a new master key, after which the old key can go', async () => {
    platform = await start({
      AWP_SECRETS_KEY: newKey.toString('base64'),
      AWP_SECRETS_PREVIOUS_KEYS: oldKey.toString('base64'),
    });
    const rewrap = await call(undefined, '/v1/admin/secrets/rewrap', { method: 'POST' });
    expect(rewrap.status).toBe(200);
    expect(await rewrap.json()).toEqual({ rewrapped: 1, failed: [] });
    const again = await call(undefined, '/v1/admin/secrets/rewrap', { method: 'POST' });
    expect(await again.json()).toEqual({ rewrapped: 0, failed: [] });
    const stream = await call(undefined, '/v1/admin/streams/secret-acme:paymentKey/events');
    const { events } = (await stream.json()) as { events: Array<{ data: { keyId: string } }> };
    expect(events.at(-1)?.data).toMatchObject({ change: 'rewrapped', keyId: keyIdOf(newKey) });
    await platform.stop();

    platform = await start({ AWP_SECRETS_KEY: newKey.toString('base64') });
    const { view } = await runWorkflow('acme', chargingWorkflow(customer.baseUrl, 'rotated'));
    expect(view.status).toBe('completed');
    expect(customer.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    await platform.stop();
  });

  it('keeps the rewrap for the operator: refused to a remote caller without the admin token', async () => {
    platform = await start({
      AWP_SECRETS_KEY: newKey.toString('base64'),
      AWP_ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    const refused = await call(undefined, '/v1/admin/secrets/rewrap', { method: 'POST' });
    expect(refused.status).toBe(401);
    const allowed = await call(undefined, '/v1/admin/secrets/rewrap', {
      method: 'POST',
      headers: { authorization: 'Bearer a-long-enough-admin-token' },
    });
    expect(allowed.status).toBe(200);
    await platform.stop();
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
