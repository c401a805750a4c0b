import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/processes.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export { freePort };

export interface ServerProcess {
  url: string;
  /** Milliseconds from spawn to the first successful answer of `readyPath`. */
  readyAfterMs: number;
  stop(): Promise<void>;
}

/**
 * Starts a server as its own process (so the load generator does not share its event loop) and
 * waits until `readyPath` answers 200.
 */
export async function startServerProcess(
  args: readonly string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  { pinned = true }: { pinned?: boolean } = {},
): Promise<ServerProcess> {
  const started = performance.now();
  // Pinned to CPU 0 (the load generator runs on CPU 1), so server and client do not trade
  // places on the two cores between rounds and the same-run comparison stays fair. Start-up
  // measurements run unpinned, as a user's process would.
  // (Unpinned still goes through taskset: a child inherits this process's own pinning.)
  const cpus = pinned ? '0' : '0-1';
  const child: ChildProcess = spawn('taskset', ['-c', cpus, process.execPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const response = await fetch(`${url}${readyPath}`).catch(() => undefined);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readyAfterMs = performance.now() - started;
  return {
    url,
    readyAfterMs,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
