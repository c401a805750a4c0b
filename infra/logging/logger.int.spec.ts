import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Starts test/support/loggingChild.ts and collects what it writes to stdout, line by line. */
function loggingChild(lines: number, ending: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/loggingChild.ts', String(lines), ending],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const received: Array<{ line: number; at: number }> = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      received.push({ line: (JSON.parse(line) as { line: number }).line, at: Date.now() });
    }
  });
  const closed = once(child, 'close').then(([code]) => code as number);
  return { received, closed, stop: () => child.kill('SIGTERM') };
}

/**
 * The logger batches lines (4 KiB per write) for the gateway's sake; batching must never cost
 * a line or leave one waiting on a quiet process.
 */
describe('the logger', () => {
  it('writes a lone line within a fraction of a second, not when the batch fills', async () => {
    const run = loggingChild(1, '5000');
    const deadline = Date.now() + 4_000;
    while (run.received.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Still running (it would wait 5 s more): the line came from the timer, not from the exit.
    expect(run.received.map((r) => r.line)).toEqual([0]);
    run.stop();
    await run.closed;
  });

  it('writes every line of a process that exits abruptly', async () => {
    const run = loggingChild(500, 'exit');
    expect(await run.closed).toBe(3);
    expect(run.received.map((r) => r.line)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
