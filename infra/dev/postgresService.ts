import { appendFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { DevService, Progress, ServiceStatus, UpOutcome } from './devService.js';
import { ServiceError } from './devService.js';
import { devEndpoints } from './endpoints.js';
import {
  postgresConfFileName,
  postgresIncludeLine,
  renderPostgresConf,
  socketDirectoryFor,
} from './postgresConfig.js';
import type { ServerUser } from './postgresOwnership.js';
import {
  giveToServerUser,
  postgresServerUser,
  preparePostgresDirectory,
} from './postgresOwnership.js';
import { ensurePgvector, requirePostgresBinaries } from './prerequisites.js';
import {
  isOurProcess,
  pathExists,
  isPortOpen,
  readPidFile,
  rotateLog,
  runCommand,
  stopProcess,
  tailFile,
} from './processes.js';
import { probeOnce, readinessTimeoutMs, waitUntilHealthy } from './readiness.js';
import { serviceDirectory } from './serviceDirectories.js';

const { host, port, user } = devEndpoints.postgres;
const directory = serviceDirectory('postgres');
const logFile = join(directory, 'postgres.log');
// Written by the postmaster itself; its first line is the pid.
const postmasterPidFile = join(directory, 'data', 'postmaster.pid');

async function probe(): Promise<void> {
  const client = new pg.Client({
    host,
    port,
    user,
    database: 'postgres',
    connectionTimeoutMillis: 2_000,
  });
  // A server going down mid-probe emits 'error'; unhandled, it would crash the CLI.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runningPid(): Promise<number | undefined> {
  const pid = await readPidFile(postmasterPidFile);
  return pid !== undefined && (await isOurProcess(pid, 'postgres')) ? pid : undefined;
}

async function failure(message: string): Promise<ServiceError> {
  return new ServiceError('postgres', message, logFile, await tailFile(logFile));
}

function asServerUser(
  serverUser: ServerUser | undefined,
  cwd: string,
): { cwd: string; uid?: number; gid?: number } {
  return serverUser === undefined ? { cwd } : { cwd, uid: serverUser.uid, gid: serverUser.gid };
}

async function initCluster(
  bin: string,
  dataDir: string,
  serverUser: ServerUser | undefined,
  cwd: string,
  progress: Progress,
): Promise<void> {
  if (await pathExists(join(dataDir, 'PG_VERSION'))) return;
  // A folder without PG_VERSION is an initdb that died half-way; initdb refuses non-empty folders.
  await rm(dataDir, { recursive: true, force: true });
  progress(`initdb ${dataDir}`);
  // Trust auth is safe only because the server listens on loopback and holds throwaway data.
  const args = [
    '-D',
    dataDir,
    '--auth=trust',
    `--username=${user}`,
    '--encoding=UTF8',
    '--locale=C.UTF-8',
  ];
  const result = await runCommand(join(bin, 'initdb'), args, asServerUser(serverUser, cwd));
  if (result.code !== 0) {
    throw new ServiceError('postgres', `initdb failed (exit ${result.code}):\n${result.output}`);
  }
  await appendFile(join(dataDir, 'postgresql.conf'), `\n${postgresIncludeLine}\n`);
}

async function start(progress: Progress): Promise<void> {
  const bin = await requirePostgresBinaries(progress);
  await ensurePgvector(bin, progress);
  const serverUser = await postgresServerUser();
  const realDirectory = await preparePostgresDirectory(serverUser, progress);
  const dataDir = join(realDirectory, 'data');
  await initCluster(bin, dataDir, serverUser, realDirectory, progress);
  const conf = join(dataDir, postgresConfFileName);
  await writeFile(
    conf,
    renderPostgresConf({ host, port, socketDirectory: socketDirectoryFor(dataDir, port) }),
  );
  await giveToServerUser(conf, serverUser);
  // A pid file left by a crash whose number now belongs to another process blocks the start.
  if ((await readPidFile(postmasterPidFile)) !== undefined && (await runningPid()) === undefined) {
    await rm(postmasterPidFile, { force: true });
  }
  await rotateLog(logFile);
  const args = [
    'start',
    '-D',
    dataDir,
    '-l',
    join(realDirectory, 'postgres.log'),
    '-w',
    '-t',
    '60',
  ];
  const result = await runCommand(
    join(bin, 'pg_ctl'),
    args,
    asServerUser(serverUser, realDirectory),
  );
  if (result.code !== 0) {
    throw await failure(`pg_ctl start failed (exit ${result.code}): ${result.output}`);
  }
}

export const postgresService: DevService = {
  name: 'postgres',
  endpoint: `${host}:${port}`,
  url: devEndpoints.postgres.url,

  async up(progress) {
    const began = Date.now();
    let action: UpOutcome['action'] = 'already-running';
    if ((await runningPid()) === undefined) {
      if (await isPortOpen(host, port)) {
        throw new ServiceError(
          'postgres',
          `port ${host}:${port} is taken by a process not started from this checkout; stop it or set AWP_DEV_PG_PORT`,
        );
      }
      await start(progress);
      action = 'started';
    }
    const ready = await waitUntilHealthy(probe, {
      timeoutMs: readinessTimeoutMs.postgres,
      stillRunning: async () => (await runningPid()) !== undefined,
    });
    if (!ready.ready) {
      throw await failure(`postgres did not answer SELECT 1 as user ${user}: ${ready.reason}`);
    }
    const pid = await runningPid();
    return {
      name: 'postgres',
      action,
      endpoint: this.endpoint,
      elapsedMs: Date.now() - began,
      ...(pid === undefined ? {} : { pid }),
    };
  },

  async down(progress) {
    const pid = await runningPid();
    if (pid === undefined) return { name: 'postgres', action: 'already-stopped' };
    const bin = await requirePostgresBinaries(progress);
    const realDirectory = await realpath(directory);
    const args = ['stop', '-D', join(realDirectory, 'data'), '-m', 'fast', '-w', '-t', '30'];
    const serverUser = await postgresServerUser();
    const result = await runCommand(
      join(bin, 'pg_ctl'),
      args,
      asServerUser(serverUser, realDirectory),
    );
    if (result.code !== 0) {
      // A wedged cluster can defeat pg_ctl; signals still free the port for the next `up`.
      progress(`pg_ctl stop failed (${result.output}); signalling pid ${pid}`);
      await stopProcess(pid, 10_000);
    }
    return { name: 'postgres', action: 'stopped', pid };
  },

  async status(): Promise<ServiceStatus> {
    const pid = await runningPid();
    const base = { name: 'postgres' as const, endpoint: this.endpoint, url: this.url };
    if (pid === undefined) return { ...base, state: 'stopped' };
    const problem = await probeOnce(probe);
    return problem === undefined
      ? { ...base, state: 'running', pid }
      : { ...base, state: 'unhealthy', pid, detail: problem };
  },
};
