import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A port nobody listens on right now (the OS picks it, we release it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address !== 'object') throw new Error('no port assigned');
  return address.port;
}

export interface AwpProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the real `awp` CLI from source (through tsx), as a user would run the built one. */
export function runAwp(args: readonly string[], env: Record<string, string>): AwpProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/cli/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': only then has all of the child's output been read from its pipes.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}
