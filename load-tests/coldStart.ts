import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, freePort, startServerProcess } from './serverProcess.js';

/**
 * `awp start` (built) to /readyz = 200, three runs each: on a data dir that already holds a
 * database (an ordinary restart) and on an empty one (first start, which also creates the
 * database). Baseline: a bare Koa process to its first 200, in the same run.
 */
export async function coldStartBenchmark(runs = 3): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'awp-bench-'));
  const measure = async (args: string[], env: Record<string, string>, path: string) => {
    const port = await freePort();
    const server = await startServerProcess(
      args,
      { ...env, PORT: String(port), AWP_PORT: String(port) },
      port,
      path,
      { pinned: false },
    );
    await server.stop();
    return server.readyAfterMs;
  };
  const awp = ['dist/infra/cli/main.js', 'start'];
  const env = { AWP_DATA_DIR: dataDir, AWP_LOG_LEVEL: 'warn' };
  try {
    const first = await measure(awp, env, '/readyz');
    const restarts: number[] = [];
    for (let i = 0; i < runs; i++) restarts.push(await measure(awp, env, '/readyz'));
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(await measure(['load-tests/bareKoaServer.js'], {}, '/'));
    }
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    console.log('\n## Embedded cold start: `awp start` to /readyz = 200 (target < 3000 ms)');
    console.log(
      `awp start, existing data dir (median of ${runs}): ${fmt(median(restarts), 0)} ms  [${restarts.map((x) => fmt(x, 0)).join(', ')}]`,
    );
    console.log(`awp start, empty data dir (creates the database): ${fmt(first, 0)} ms`);
    console.log(
      `baseline: bare Koa process to first 200 (median of ${runs}): ${fmt(median(bare), 0)} ms`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
