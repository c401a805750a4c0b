import { randomBytes } from 'node:crypto';
import { loadConfig } from '../infra/config/config.js';
import { devEndpoints } from '../infra/dev/endpoints.js';
import { availableDomains } from '../infra/runtime/serviceNames.js';
import { startPlatform } from '../infra/runtime/platform.js';
import { createBenchDatabase } from './benchDatabase.js';
import { fmt, percentile } from './serverProcess.js';

/**
 * POST /v1/tenants, then GET /v1/tenants/{id} until it answers 200: the full command → event
 * store + outbox → relay → bus → projection → query path. Baseline: the POST alone (command
 * side only), in the same run.
 */
async function measure(env: Record<string, string>, samples: number) {
  const config = loadConfig({
    AWP_PORT: '0',
    AWP_LOG_LEVEL: 'warn',
    AWP_RELAY_POLL_MS: '250',
    ...env,
  });
  const platform = await startPlatform({ config, services: availableDomains() });
  const visible: number[] = [];
  const commandOnly: number[] = [];
  try {
    for (let i = 0; i < samples + 10; i++) {
      const started = performance.now();
      const response = await fetch(`${platform.url}/v1/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-${process.pid}-${Date.now()}-${i}` }),
      });
      if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
      const posted = performance.now();
      const { accountId } = (await response.json()) as { accountId: string };
      for (;;) {
        const get = await fetch(`${platform.url}/v1/tenants/${accountId}`);
        await get.arrayBuffer();
        if (get.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_POLL_MS ?? 1)));
      }
      if (i >= 10) {
        // the first ten warm up the JIT and the connection pools
        visible.push(performance.now() - started);
        commandOnly.push(posted - started);
      }
    }
  } finally {
    await platform.stop();
  }
  const sort = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return { profile: platform.profile, visible: sort(visible), commandOnly: sort(commandOnly) };
}

export async function tenantSliceBenchmark(options: { samples?: number; real?: boolean } = {}) {
  const samples = options.samples ?? 200;
  const dropDatabases: Array<() => Promise<void>> = [];
  const runs: Array<[string, Record<string, string>]> = [
    ['embedded (PGlite, in-process bus)', { AWP_DATA_DIR: 'memory://' }],
  ];
  if (options.real) {
    const database = await createBenchDatabase();
    dropDatabases.push(database.drop);
    runs.push([
      'distributed (PostgreSQL, Kafka, Redis)',
      {
        AWP_DATABASE_URL: database.url,
        AWP_KAFKA_BROKERS: devEndpoints.kafka.brokers,
        AWP_REDIS_URL: devEndpoints.redis.url,
        AWP_TOPIC_PREFIX: `bench-${Date.now()}.`,
        AWP_SECRETS_KEY: randomBytes(32).toString('base64'),
      },
    ]);
  }
  console.log(
    `\n## Vertical slice: POST /v1/tenants -> visible in GET /v1/tenants/{id} (${samples} sequential samples; target p50 < 20 ms embedded)`,
  );
  for (const [label, env] of runs) {
    const result = await measure(env, samples);
    const line = (xs: number[]) =>
      `p50 ${fmt(percentile(xs, 50))} ms, p90 ${fmt(percentile(xs, 90))} ms, p99 ${fmt(percentile(xs, 99))} ms`;
    console.log(`${label}: visible ${line(result.visible)}`);
    console.log(`${label}: baseline, POST alone: ${line(result.commandOnly)}`);
  }
  for (const drop of dropDatabases) await drop();
}
