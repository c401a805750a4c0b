import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { DevService, Progress, ServiceStatus, UpOutcome } from './devService.js';
import { ServiceError } from './devService.js';
import { devEndpoints } from './endpoints.js';
import { kafkaVersion, newClusterId, renderServerProperties } from './kafkaConfig.js';
import { ensureKafkaJars } from './kafkaJars.js';
import { requireJava } from './prerequisites.js';
import {
  isOurProcess,
  pathExists,
  isPortOpen,
  readPidFile,
  removeFile,
  rotateLog,
  runCommand,
  spawnDetached,
  stopProcess,
  tailFile,
} from './processes.js';
import { probeOnce, readinessTimeoutMs, waitUntilHealthy } from './readiness.js';
import { kafkaSourceDirectory, serviceDirectory } from './serviceDirectories.js';

const { host, port, controllerPort } = devEndpoints.kafka;
const directory = serviceDirectory('kafka');
const dataDirectory = join(directory, 'data');
const propertiesFile = join(directory, 'server.properties');
const pidFile = join(directory, 'kafka.pid');
const logFile = join(directory, 'kafka.log');
const log4jConfig = join(kafkaSourceDirectory, 'log4j2.properties');
// The main class, present in the command line of every broker JVM we start.
const mainClass = 'kafka.Kafka';

async function probe(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'awp-dev-services',
    brokers: [devEndpoints.kafka.brokers],
    // The probe is expected to fail while the broker boots; kafkajs would log every attempt.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function runningPid(): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  return pid !== undefined && (await isOurProcess(pid, mainClass)) ? pid : undefined;
}

async function failure(message: string): Promise<ServiceError> {
  return new ServiceError('kafka', message, logFile, await tailFile(logFile));
}

function javaArgs(lib: string, ...rest: string[]): string[] {
  return [
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    '-Djava.awt.headless=true',
    '-cp',
    join(lib, '*'),
    ...rest,
  ];
}

/** KRaft needs its log directory formatted with a cluster id once; reformatting would wipe topics. */
async function formatStorage(java: string, lib: string, progress: Progress): Promise<void> {
  if (await pathExists(join(dataDirectory, 'meta.properties'))) return;
  await rm(dataDirectory, { recursive: true, force: true });
  const clusterId = newClusterId();
  progress(`formatting KRaft storage in ${dataDirectory} (cluster id ${clusterId})`);
  const args = javaArgs(
    lib,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propertiesFile,
    '--standalone',
  );
  const result = await runCommand(java, args, { cwd: directory });
  if (result.code !== 0)
    throw new ServiceError(
      'kafka',
      `kafka storage format failed (exit ${result.code}):\n${result.output}`,
    );
}

async function start(progress: Progress): Promise<void> {
  const java = await requireJava();
  const lib = await ensureKafkaJars(progress);
  await mkdir(directory, { recursive: true });
  await writeFile(
    propertiesFile,
    renderServerProperties({ host, port, controllerPort, dataDirectory }),
  );
  await formatStorage(java, lib, progress);
  await removeFile(pidFile);
  await rotateLog(logFile);
  // Heap sized for a test broker on a 2-core CI machine, not for throughput.
  const jvm = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError'];
  await spawnDetached(java, [...jvm, ...javaArgs(lib, mainClass, propertiesFile)], {
    cwd: directory,
    logFile,
    pidFile,
  });
}

export const kafkaService: DevService = {
  name: 'kafka',
  endpoint: `${host}:${port}`,
  url: devEndpoints.kafka.brokers,

  async up(progress) {
    const began = Date.now();
    let action: UpOutcome['action'] = 'already-running';
    if ((await runningPid()) === undefined) {
      for (const taken of [port, controllerPort]) {
        if (await isPortOpen(host, taken)) {
          throw new ServiceError(
            'kafka',
            `port ${host}:${taken} is taken by a process not started from this checkout; stop it or set AWP_DEV_KAFKA_PORT / AWP_DEV_KAFKA_CONTROLLER_PORT`,
          );
        }
      }
      await start(progress);
      action = 'started';
    }
    const stillRunning = async (): Promise<boolean> => (await runningPid()) !== undefined;
    const ready = await waitUntilHealthy(probe, {
      timeoutMs: readinessTimeoutMs.kafka,
      stillRunning,
    });
    if (!ready.ready)
      throw await failure(
        `kafka ${kafkaVersion} did not answer a kafkajs admin listTopics: ${ready.reason}`,
      );
    const pid = await runningPid();
    return {
      name: 'kafka',
      action,
      endpoint: this.endpoint,
      elapsedMs: Date.now() - began,
      ...(pid === undefined ? {} : { pid }),
    };
  },

  async down(progress) {
    const pid = await runningPid();
    if (pid === undefined) {
      await removeFile(pidFile);
      return { name: 'kafka', action: 'already-stopped' };
    }
    // SIGTERM runs the broker's controlled shutdown, which flushes logs and closes the metadata
    // log cleanly; a SIGKILL'ed broker recovers on the next start but takes longer to come up.
    if ((await stopProcess(pid, 20_000)) === 'killed')
      progress('did not stop within 20 s after SIGTERM; sent SIGKILL');
    await removeFile(pidFile);
    return { name: 'kafka', action: 'stopped', pid };
  },

  async status(): Promise<ServiceStatus> {
    const pid = await runningPid();
    const base = { name: 'kafka' as const, endpoint: this.endpoint, url: this.url };
    if (pid === undefined) return { ...base, state: 'stopped' };
    const problem = await probeOnce(probe);
    return problem === undefined
      ? { ...base, state: 'running', pid }
      : { ...base, state: 'unhealthy', pid, detail: problem };
  },
};
