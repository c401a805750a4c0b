import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { freePort, runAwp } from './support/processes.js';

/** `awp start` as a real process: readiness, persistence across restarts, graceful stop. */
describe('awp start (embedded profile)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'awp-embedded-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startAwp() {
    const port = await freePort();
    const awp = runAwp(['start'], {
      AWP_PORT: String(port),
      AWP_DATA_DIR: dataDir,
      AWP_LOG_LEVEL: 'info',
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        const response = await fetch(`${url}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    return { awp, url };
  }

  it('keeps tenants across a graceful restart', async () => {
    const first = await startAwp();
    const created = await fetch(`${first.url}/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Persistent Pizza', tier: 'pro' }),
    });
    expect(created.status).toBe(201);
    const { accountId } = (await created.json()) as { accountId: string };
    await eventually(async () =>
      (await fetch(`${first.url}/v1/admin/tenants/${accountId}`)).status === 200 ? true : undefined,
    );

    first.awp.child.kill('SIGTERM');
    expect(await first.awp.exited).toBe(0);
    expect(first.awp.output()).toContain('"msg":"shutting down"');

    const second = await startAwp();
    const response = await fetch(`${second.url}/v1/admin/tenants/${accountId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'Persistent Pizza', tier: 'pro' });
    second.awp.child.kill('SIGINT');
    expect(await second.awp.exited).toBe(0);
  });

  it('stops cleanly when signalled while it is still starting', async () => {
    const port = await freePort();
    const awp = runAwp(['start'], {
      AWP_PORT: String(port),
      AWP_DATA_DIR: dataDir,
      AWP_LOG_LEVEL: 'info',
    });
    // The port answers before the projections have started: the signal lands mid-start.
    await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    awp.child.kill('SIGTERM');
    expect(await awp.exited).toBe(0);
    expect(awp.output()).toContain('"msg":"stopped"');
  });

  it('logs each request as JSON with its correlation id', async () => {
    const { awp, url } = await startAwp();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await fetch(`${url}/v1/tenants`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    await fetch(`${url}/healthz`);
    awp.child.kill('SIGTERM');
    await awp.exited;
    const lines = awp.output().split('\n');
    const line = lines.find((l) => l.includes('"path":"/v1/tenants"'));
    expect(JSON.parse(line as string)).toMatchObject({ correlationId: traceId, status: 200 });
    // probes are logged at debug, below the default level
    expect(lines.some((l) => l.includes('"path":"/healthz"'))).toBe(false);
  });

  it('refuses to start on an invalid variable, naming it', async () => {
    const awp = runAwp(['start'], { AWP_PORT: 'eighty', AWP_DATA_DIR: dataDir });
    expect(await awp.exited).toBe(78);
    expect(awp.output()).toContain('AWP_PORT: must be a whole number between 0 and 65535');
  });
});
