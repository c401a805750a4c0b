import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fmt, freePort, startServerProcess } from './serverProcess.js';

async function requestsPerSecond(
  url: string,
  seconds: number,
  expectStatus = 200,
): Promise<number> {
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    expectBody: undefined,
  });
  const unexpected = Object.entries(result.statusCodeStats ?? {}).filter(
    ([status]) => Number(status) !== expectStatus,
  );
  if (result.errors > 0 || unexpected.length > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, unexpected statuses ${JSON.stringify(unexpected)}`,
    );
  }
  return result.requests.average;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Requests/s through the whole AWP gateway vs a bare Koa handler, both in separate processes
 * pinned to the same core, measured in alternating rounds of one run (this VM's speed drifts
 * between minutes, so only same-run, interleaved figures compare).
 *
 * Rows: GET /healthz (trace context, metrics, problem handling, routing; probes are logged at
 * debug), and an unknown route (the full chain including the info-level access log line and a
 * problem+json 404), both against the same bare baseline.
 */
export async function gatewayThroughputBenchmark(seconds = 3, rounds = 8): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'awp-bench-'));
  const awpPort = await freePort();
  const awp = await startServerProcess(
    ['dist/infra/cli/main.js', 'start'],
    { AWP_PORT: String(awpPort), AWP_DATA_DIR: dataDir, AWP_LOG_LEVEL: 'info' },
    awpPort,
    '/readyz',
  );
  const barePort = await freePort();
  const bare = await startServerProcess(
    ['load-tests/bareKoaServer.js'],
    { PORT: String(barePort) },
    barePort,
    '/',
  );
  try {
    const healthz: number[] = [];
    const logged: number[] = [];
    const baseline: number[] = [];
    await requestsPerSecond(`${awp.url}/healthz`, 2); // warm-up (JIT)
    await requestsPerSecond(bare.url, 2);
    for (let round = 0; round < rounds; round++) {
      baseline.push(await requestsPerSecond(bare.url, seconds));
      healthz.push(await requestsPerSecond(`${awp.url}/healthz`, seconds));
      logged.push(await requestsPerSecond(`${awp.url}/v1/nowhere`, seconds, 404));
    }
    // Each round's ratio compares measurements taken seconds apart; the median of those
    // ratios is robust to this VM's drift, which moves both by tens of percent.
    const ratios = (ours: number[]) => ours.map((value, i) => value / (baseline[i] as number));
    const show = (xs: number[]) => `${fmt(median(xs), 0)} req/s`;
    const showRatio = (xs: number[]) =>
      `median ratio ${fmt(median(ratios(xs)), 2)}  [${ratios(xs)
        .map((r) => fmt(r, 2))
        .join(', ')}]`;
    console.log(
      `\n## Gateway throughput, 32 connections, ${rounds} interleaved rounds of ${seconds}s (target /healthz ratio >= 0.8)`,
    );
    console.log(`baseline: bare Koa handler:               ${show(baseline)}`);
    console.log(
      `AWP GET /healthz:                         ${show(healthz)}  ${showRatio(healthz)}`,
    );
    console.log(`AWP unknown route (logged 404 problem):  ${show(logged)}  ${showRatio(logged)}`);
  } finally {
    await awp.stop();
    await bare.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
