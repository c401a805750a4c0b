import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devEndpoints } from '../infra/dev/endpoints.js';
import { eventually } from './support/eventually.js';
import { freePort, runAwp } from './support/processes.js';
import type { AwpProcess } from './support/processes.js';
import { createTestDatabase, describeWithServices, uniqueSuffix } from './support/realServices.js';
import type { TestDatabase } from './support/realServices.js';

/** `awp serve` as a real process on PostgreSQL, Kafka and Redis: the distributed entry point. */
describeWithServices(['postgres', 'kafka', 'redis'], 'awp serve (distributed profile)', () => {
  let database: TestDatabase;
  let awp: AwpProcess;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    awp = runAwp(['serve', '--services', 'platform'], {
      AWP_PORT: String(port),
      AWP_DATABASE_URL: database.url,
      AWP_KAFKA_BROKERS: devEndpoints.kafka.brokers,
      AWP_REDIS_URL: devEndpoints.redis.url,
      AWP_TOPIC_PREFIX: `test-${uniqueSuffix()}.`,
      AWP_SECRETS_KEY: randomBytes(32).toString('base64'),
      AWP_LOG_LEVEL: 'info',
    });
    url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        const response = await fetch(`${url}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  });

  afterAll(async () => {
    if (awp && awp.child.exitCode === null) {
      awp.child.kill('SIGKILL');
      await awp.exited;
    }
    await database?.drop();
  });

  it('serves the tenant slice through Kafka and stops gracefully on SIGTERM', async () => {
    const created = await fetch(`${url}/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kafka Kitchen' }),
    });
    expect(created.status).toBe(201);
    const { accountId } = (await created.json()) as { accountId: string };
    await eventually(
      async () =>
        (await fetch(`${url}/v1/admin/tenants/${accountId}`)).status === 200 ? true : undefined,
      { timeoutMs: 30_000 },
    );
    // Logged once every projection has started, which may be after the tenant shows.
    await eventually(async () =>
      awp.output().includes('"bus":"kafka (platformatic)"') ? true : undefined,
    );

    awp.child.kill('SIGTERM');
    expect(await awp.exited).toBe(0);
    expect(awp.output()).toContain('"msg":"stopped"');
  });
});

it('awp serve refuses to start without PostgreSQL and Kafka settings', async () => {
  const awp = runAwp(['serve', '--services', 'platform'], {
    AWP_DATABASE_URL: '',
    AWP_KAFKA_BROKERS: '',
  });
  expect(await awp.exited).toBe(78);
  expect(awp.output()).toContain('AWP_DATABASE_URL: required by `awp serve`');
  expect(awp.output()).toContain('AWP_KAFKA_BROKERS: required by `awp serve`');
});

it('awp serve refuses to start the platform without a shared secrets key, naming it', async () => {
  const awp = runAwp(['serve', '--services', 'platform'], {
    AWP_DATABASE_URL: 'postgres://127.0.0.1:1/awp',
    AWP_KAFKA_BROKERS: '127.0.0.1:1',
    AWP_SECRETS_KEY: '',
  });
  expect(await awp.exited).toBe(78);
  expect(awp.output()).toContain('AWP_SECRETS_KEY: required with AWP_DATABASE_URL');
});
