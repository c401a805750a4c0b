import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { access, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run as another user (PostgreSQL refuses root); libuv drops supplementary groups too. */
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion and returns its combined output instead of throwing, so the
 * caller can put the tool's own words (initdb, mvn, StorageTool) into its error message.
 * Detached so that daemons it forks (pg_ctl's postmaster) are not tied to our terminal.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const { timeoutMs, ...spawnOptions } = options;
    const child = spawn(command, args, {
      ...spawnOptions,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const finish = (code: number, fallback: string): void => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8').trim();
      resolvePromise({ code, output: output === '' ? fallback : output });
    };
    child.once('error', (error) => finish(127, `${command}: ${error.message}`));
    child.once('close', (code, signal) =>
      finish(code ?? 128, signal === null ? '' : `${command} killed by ${signal}`),
    );
  });
}

/**
 * Starts a long-running process in its own session with output appended to a log file, so it
 * outlives this CLI and a Ctrl-C in the terminal that ran `services:up` does not reach it.
 */
export async function spawnDetached(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly logFile: string; readonly pidFile: string },
): Promise<number> {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject);
      child.once('spawn', () =>
        child.pid === undefined ? reject(new Error('no pid')) : resolvePid(child.pid),
      );
    });
    child.unref();
    await writeFile(options.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(log);
  }
}

export async function readPidFile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0]?.trim() ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A pid file survives a reboot or a crash, and the number may since have been handed to an
 * unrelated process; checking the command line keeps us from adopting or killing it.
 * Where /proc is missing (macOS) we can only trust liveness.
 */
export async function isOurProcess(pid: number, commandMarker: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat !== undefined && / Z /.test(stat.slice(stat.lastIndexOf(')')))) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined || cmdline.includes(commandMarker);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isOurProcess(pid, ''))) return true;
    await sleep(100);
  }
  return !(await isOurProcess(pid, ''));
}

/** SIGTERM lets the service flush and release its locks; SIGKILL only if it hangs. */
export async function stopProcess(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'terminated';
  }
  if (await waitForExit(pid, graceMs)) return 'terminated';
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It exited between the check and the kill.
  }
  await waitForExit(pid, 5_000);
  return 'killed';
}

export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ host, port });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortOpen(host, port)) return true;
    await sleep(200);
  }
  return false;
}

/** Keeps the previous run's log (often the interesting one after a crash) as `<log>.1`. */
export async function rotateLog(path: string): Promise<void> {
  await rename(path, `${path}.1`).catch(() => undefined);
}

export async function tailFile(path: string, lines = 30): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return [`(no log at ${path})`];
  return text.trimEnd().split('\n').slice(-lines);
}
