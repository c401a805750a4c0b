import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { DevService, ServiceStatus, UpOutcome } from './devService.js';
import { ServiceError } from './devService.js';
import { devEndpoints } from './endpoints.js';
import { requireRedisServer } from './prerequisites.js';
import {
  isOurProcess,
  isPortOpen,
  readPidFile,
  removeFile,
  rotateLog,
  runCommand,
  stopProcess,
  tailFile,
} from './processes.js';
import { probeOnce, readinessTimeoutMs, waitUntilHealthy } from './readiness.js';
import { renderRedisConf } from './redisConfig.js';
import { serviceDirectory } from './serviceDirectories.js';

const { host, port } = devEndpoints.redis;
const directory = serviceDirectory('redis');
const pidFile = join(directory, 'redis.pid');
const logFile = join(directory, 'redis.log');
const confFile = join(directory, 'redis.conf');

async function probe(): Promise<void> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Without a listener ioredis prints "Unhandled error event" for every refused attempt.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } finally {
    client.disconnect();
  }
}

async function runningPid(): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  return pid !== undefined && (await isOurProcess(pid, 'redis-server')) ? pid : undefined;
}

async function failure(message: string): Promise<ServiceError> {
  return new ServiceError('redis', message, logFile, await tailFile(logFile));
}

async function start(progress: (message: string) => void): Promise<void> {
  const server = await requireRedisServer(progress);
  await mkdir(directory, { recursive: true });
  await writeFile(confFile, renderRedisConf({ host, port, directory, pidFile, logFile }));
  await removeFile(pidFile);
  await rotateLog(logFile);
  // With daemonize the foreground process exits at once; a non-zero code means a config error.
  const result = await runCommand(server, [confFile], { cwd: directory });
  if (result.code !== 0) {
    throw await failure(`redis-server ${confFile} failed (exit ${result.code}): ${result.output}`);
  }
}

export const redisService: DevService = {
  name: 'redis',
  endpoint: `${host}:${port}`,
  url: devEndpoints.redis.url,

  async up(progress) {
    const began = Date.now();
    let action: UpOutcome['action'] = 'already-running';
    if ((await runningPid()) === undefined) {
      if (await isPortOpen(host, port)) {
        throw new ServiceError(
          'redis',
          `port ${host}:${port} is taken by a process not started from this checkout; stop it or set AWP_DEV_REDIS_PORT`,
        );
      }
      await start(progress);
      action = 'started';
    }
    // The daemon writes its pid file a moment after the fork; a missing file is not yet a crash.
    const stillRunning = async (): Promise<boolean> =>
      (await readPidFile(pidFile)) === undefined || (await runningPid()) !== undefined;
    const ready = await waitUntilHealthy(probe, {
      timeoutMs: readinessTimeoutMs.redis,
      stillRunning,
    });
    if (!ready.ready) throw await failure(`redis did not answer PING: ${ready.reason}`);
    const pid = await runningPid();
    return {
      name: 'redis',
      action,
      endpoint: this.endpoint,
      elapsedMs: Date.now() - began,
      ...(pid === undefined ? {} : { pid }),
    };
  },

  async down() {
    const pid = await runningPid();
    if (pid === undefined) return { name: 'redis', action: 'already-stopped' };
    // SIGTERM is Redis's own clean shutdown; with `save ""` it writes nothing and exits at once.
    await stopProcess(pid, 10_000);
    await removeFile(pidFile);
    return { name: 'redis', action: 'stopped', pid };
  },

  async status(): Promise<ServiceStatus> {
    const pid = await runningPid();
    const base = { name: 'redis' as const, endpoint: this.endpoint, url: this.url };
    if (pid === undefined) return { ...base, state: 'stopped' };
    const problem = await probeOnce(probe);
    return problem === undefined
      ? { ...base, state: 'running', pid }
      : { ...base, state: 'unhealthy', pid, detail: problem };
  },
};
