import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Koa from 'koa';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { edge } from '../gateway/edge/edge.js';
import type { RateLimiter } from '../gateway/rateLimit/rateLimiter.js';
import { rateLimit } from '../gateway/rateLimit/rateLimitMiddleware.js';
import { devEndpoints } from '../infra/dev/endpoints.js';
import { createMemoryRateLimiter } from '../infra/rateLimit/memoryRateLimiter.js';
import { createRedisRateLimiter } from '../infra/rateLimit/redisRateLimiter.js';
import { uniqueSuffix } from '../test/support/realServices.js';
import { fmt } from './serverProcess.js';

/** The accuracy target: accepted requests within ±2% of the limit. */
const tolerancePercent = 2;

/** A positive whole number from the environment, or `fallback`. */
function setting(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}, got '${raw}'`);
  }
  return value;
}

interface Running {
  url: string;
  close(): Promise<void>;
}

/**
 * The gateway's edge (problem+json, metrics, access log at silent) and, when given, the rate
 * limit middleware with every request counted as one tenant's, in front of one cheap route.
 */
async function startServer(limiter?: RateLimiter, limitPerMinute = 0): Promise<Running> {
  const app = new Koa();
  app.silent = true;
  app.use(
    edge({ logger: pino({ level: 'silent' }), registry: new Registry(), quietPaths: new Set() }),
  );
  if (limiter) {
    app.use(
      rateLimit({ limiter, policyFor: (ctx) => ({ key: ctx.get('x-tenant'), limitPerMinute }) }),
    );
  }
  app.use(function listThings(ctx) {
    ctx.body = { things: [] };
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/things`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Requests/s with autocannon, every request expected to be admitted. */
async function throughput(url: string, tenant: string, seconds = 2): Promise<number> {
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    headers: { 'x-tenant': tenant },
  });
  const unexpected = Object.keys(result.statusCodeStats ?? {}).filter((status) => status !== '200');
  if (result.errors > 0 || unexpected.length > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, unexpected statuses ${unexpected.join(', ')}`,
    );
  }
  return result.requests.average;
}

interface Tally {
  offered: number;
  accepted: number;
  refused: number;
  /** 429s lacking Retry-After or a RateLimit field: each one is a failure. */
  refusedWithoutHeaders: number;
  elapsedSeconds: number;
}

/**
 * Offers `3 x limit` requests per minute at an even pace for `seconds`, spread round-robin over
 * the replicas' URLs, without waiting for answers (a slow answer must not slow the offer).
 */
async function offerAtThreeTimes(urls: string[], limit: number, seconds: number): Promise<Tally> {
  const tenant = `bench-${uniqueSuffix()}`;
  const intervalMs = 60_000 / (3 * limit);
  const offered = Math.floor((3 * limit * seconds) / 60);
  const tally: Tally = {
    offered,
    accepted: 0,
    refused: 0,
    refusedWithoutHeaders: 0,
    elapsedSeconds: 0,
  };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < offered; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const url = urls[i % urls.length] as string;
    inFlight.push(
      fetch(url, { headers: { 'x-tenant': tenant } }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) tally.accepted++;
        else if (response.status === 429) {
          tally.refused++;
          const headers = [
            'retry-after',
            'ratelimit-limit',
            'ratelimit-remaining',
            'ratelimit-reset',
            'ratelimit-policy',
          ];
          if (headers.some((name) => !response.headers.has(name))) tally.refusedWithoutHeaders++;
        } else throw new Error(`${url} answered ${response.status}`);
      }),
    );
  }
  await Promise.all(inFlight);
  tally.elapsedSeconds = (performance.now() - started) / 1000;
  return tally;
}

function report(label: string, limit: number, seconds: number, tally: Tally): void {
  // One window is measured: the budget of a minute, or what was offered if that is less.
  const expected = Math.min(limit, tally.offered);
  const deviation = ((tally.accepted - expected) / expected) * 100;
  const pass = Math.abs(deviation) <= tolerancePercent && tally.refusedWithoutHeaders === 0;
  console.log(
    `${label.padEnd(20)} limit ${limit}/min, offered ${tally.offered} (${fmt(tally.offered / tally.elapsedSeconds)} req/s over ${fmt(tally.elapsedSeconds)} s), accepted ${tally.accepted}, refused ${tally.refused}` +
      `${tally.refusedWithoutHeaders > 0 ? ` (${tally.refusedWithoutHeaders} without headers)` : ''}, deviation ${deviation >= 0 ? '+' : ''}${fmt(deviation, 2)}%  ${pass ? 'PASS' : 'FAIL'}` +
      (seconds < 60 ? `  (short run: ${seconds} s, expected ${expected})` : ''),
  );
}

/**
 * Drives one tenant at 3x its limit through the real middleware in a real Koa server, with the
 * in-memory limiter and (with `real`) the Redis one behind two servers standing for two
 * replicas, and prints the accepted count against the limit. Before that, the cost of the
 * limiter: requests/s of the same server without it, and with it admitting every request (load
 * generator and server share this process, so only the ratios compare).
 *
 * `AWP_BENCH_RATE_SECONDS` (1-60, default 60) shortens the measured window,
 * `AWP_BENCH_RATE_LIMIT` (default 600) sets the tier limit per minute.
 */
export async function rateLimitAccuracyBenchmark(options: { real: boolean }): Promise<void> {
  const seconds = setting('AWP_BENCH_RATE_SECONDS', 60, 60);
  const limit = setting('AWP_BENCH_RATE_LIMIT', 600);
  const keyPrefix = `bench-${uniqueSuffix()}:`;
  const openRedis = () => createRedisRateLimiter({ url: devEndpoints.redis.url, keyPrefix });
  const unlimited = 1_000_000_000;

  console.log(
    `\n## Rate limit accuracy: one tenant at 3x its limit for ${seconds} s through the gateway middleware (target: accepted within ±${tolerancePercent}% of the limit)`,
  );
  const bare = await startServer();
  const memory = createMemoryRateLimiter();
  const memoryServer = await startServer(memory, unlimited);
  const redis = options.real ? openRedis() : undefined;
  const redisServer = redis ? await startServer(redis, unlimited) : undefined;
  try {
    const servers = [bare, memoryServer, ...(redisServer ? [redisServer] : [])];
    for (const server of servers) await throughput(server.url, 'warm-up', 1); // JIT
    // Interleaved rounds, compared round by round: this VM's speed drifts between minutes.
    const rates: number[][] = servers.map(() => []);
    for (let round = 0; round < 4; round++) {
      for (const [i, server] of servers.entries())
        rates[i]!.push(await throughput(server.url, `bench-${uniqueSuffix()}`));
    }
    const [baseline, ...limited] = rates as [number[], ...number[][]];
    const labels = [
      'memory limiter, every request admitted:',
      'redis limiter, every request admitted: ',
    ];
    console.log(`baseline: edge + route, no limiter:       ${fmt(median(baseline), 0)} req/s`);
    for (const [i, ours] of limited.entries()) {
      const ratios = ours.map((value, round) => value / (baseline[round] as number));
      console.log(
        `${labels[i]}  ${fmt(median(ours), 0)} req/s  median ratio ${fmt(median(ratios), 2)}`,
      );
    }
  } finally {
    await Promise.all([bare.close(), memoryServer.close(), redisServer?.close()]);
  }

  const memoryLimited = await startServer(memory, limit);
  try {
    report(
      'memory (1 replica):',
      limit,
      seconds,
      await offerAtThreeTimes([memoryLimited.url], limit, seconds),
    );
  } finally {
    await memoryLimited.close();
  }
  if (!redis) return;
  const secondReplica = openRedis();
  const replicas = await Promise.all([
    startServer(redis, limit),
    startServer(secondReplica, limit),
  ]);
  try {
    const tally = await offerAtThreeTimes(
      replicas.map((replica) => replica.url),
      limit,
      seconds,
    );
    report('redis (2 replicas):', limit, seconds, tally);
  } finally {
    await Promise.all(replicas.map((replica) => replica.close()));
    await Promise.all([redis.close?.(), secondReplica.close?.()]);
  }
}
