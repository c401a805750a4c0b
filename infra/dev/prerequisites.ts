import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Progress } from './devService.js';
import { pathExists, runCommand } from './processes.js';

/** A tool the services need is missing; the message names it and how to get it. */
export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function findExecutable(
  name: string,
  extraDirectories: readonly string[] = [],
): Promise<string | undefined> {
  const directories = [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    ...extraDirectories,
  ];
  for (const directory of directories) {
    const candidate = join(directory, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const isRoot = process.getuid?.() === 0;

// apt-get holds the dpkg lock, and services start in parallel: one apt run at a time.
let aptQueue: Promise<unknown> = Promise.resolve();
let aptUpdated = false;

/**
 * A fresh CI machine may lack the server packages. As root with apt-get we can fix that
 * ourselves instead of failing CI with a hint nobody will read until the next attempt.
 */
async function installDebianPackage(pkg: string, progress: Progress): Promise<boolean> {
  if (!isRoot || (await findExecutable('apt-get')) === undefined) return false;
  const run = aptQueue.then(async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) {
      progress('apt-get update');
      const update = await runCommand('apt-get', ['update'], { env });
      if (update.code !== 0) {
        throw new PrerequisiteError(`apt-get update failed:\n${update.output}`);
      }
      aptUpdated = true;
    }
    progress(`apt-get install -y --no-install-recommends ${pkg}`);
    const install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
      env,
    });
    if (install.code !== 0) {
      throw new PrerequisiteError(`apt-get install ${pkg} failed:\n${install.output}`);
    }
  });
  aptQueue = run.catch(() => undefined);
  await run;
  return true;
}

/** Debian keeps server binaries off PATH, one folder per major version; 15 is what we target. */
async function postgresBinDirectory(): Promise<string | undefined> {
  const fromEnv = process.env.AWP_DEV_PG_BIN;
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const debianDirs = versions
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)))
    .map((v) => `/usr/lib/postgresql/${v}/bin`);
  for (const directory of [...(fromEnv ? [fromEnv] : []), ...debianDirs]) {
    if (
      (await isExecutable(join(directory, 'pg_ctl'))) &&
      (await isExecutable(join(directory, 'initdb')))
    ) {
      return directory;
    }
  }
  const onPath = await findExecutable('pg_ctl');
  return onPath === undefined ? undefined : join(onPath, '..');
}

export async function requirePostgresBinaries(progress: Progress): Promise<string> {
  const found = await postgresBinDirectory();
  if (found !== undefined) return found;
  if (await installDebianPackage('postgresql', progress)) {
    const installed = await postgresBinDirectory();
    if (installed !== undefined) return installed;
  }
  throw new PrerequisiteError(
    'PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin, $AWP_DEV_PG_BIN or PATH. ' +
      'Install them with `apt-get install postgresql` (Debian/Ubuntu) or point AWP_DEV_PG_BIN at their folder.',
  );
}

const pgvectorInstaller = fileURLToPath(new URL('./pgvector/install.sh', import.meta.url));

/**
 * Agent memory needs pgvector in the server. Debian 12 has no package for it, so as root we
 * build it (pgvector/install.sh); otherwise we say how, and PostgreSQL starts all the same:
 * only the memory store's migration needs the extension, and it names what is missing.
 */
export async function ensurePgvector(binDirectory: string, progress: Progress): Promise<void> {
  const sharedir = await runCommand(join(binDirectory, 'pg_config'), ['--sharedir']);
  if (sharedir.code !== 0) return; // no pg_config: not a layout we know how to extend
  const control = join(sharedir.output.trim(), 'extension', 'vector.control');
  if (await pathExists(control)) return;
  const major = /\/(\d+)\/bin\/?$/.exec(binDirectory)?.[1];
  if (!isRoot || major === undefined || (await findExecutable('apt-get')) === undefined) {
    progress(`pgvector is not installed (no ${control}); as root, run ${pgvectorInstaller}`);
    return;
  }
  const run = aptQueue.then(async () => {
    progress(`building pgvector for PostgreSQL ${major} (${pgvectorInstaller})`);
    const env = { ...process.env, AWP_DEV_PG_MAJOR: major };
    const result = await runCommand('bash', [pgvectorInstaller], { env, timeoutMs: 600_000 });
    if (result.code !== 0) progress(`pgvector could not be installed:\n${result.output}`);
  });
  aptQueue = run.catch(() => undefined);
  await run;
}

export async function requireRedisServer(progress: Progress): Promise<string> {
  const extra = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];
  const found = await findExecutable('redis-server', extra);
  if (found !== undefined) return found;
  if (await installDebianPackage('redis-server', progress)) {
    const installed = await findExecutable('redis-server', extra);
    if (installed !== undefined) return installed;
  }
  throw new PrerequisiteError(
    'redis-server not found on PATH. Install it with `apt-get install redis-server`.',
  );
}

/** Parses the first line of `java -version`: `openjdk version "17.0.15"` or `"1.8.0_392"`. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** JAVA_HOME wins over PATH, as it does for Maven and Kafka's own scripts. */
async function javaExecutable(): Promise<string | undefined> {
  const javaHome = process.env.JAVA_HOME;
  if (
    javaHome !== undefined &&
    javaHome !== '' &&
    (await isExecutable(join(javaHome, 'bin', 'java')))
  ) {
    return join(javaHome, 'bin', 'java');
  }
  return findExecutable('java');
}

/** Kafka 4 brokers need Java 17; an older JVM fails with an obscure class-version error. */
export async function requireJava(): Promise<string> {
  const java = await javaExecutable();
  if (java === undefined) {
    throw new PrerequisiteError(
      'java not found (Kafka needs Java 17+). Install it with `apt-get install openjdk-17-jre-headless`.',
    );
  }
  const version = await runCommand(java, ['-version']);
  const major = parseJavaMajorVersion(version.output);
  if (major === undefined || major < 17) {
    throw new PrerequisiteError(
      `${java} is Java ${major ?? 'of unknown version'}; Kafka 4 needs Java 17+ (set JAVA_HOME).`,
    );
  }
  return java;
}

export async function requireMaven(): Promise<string> {
  const mvn = await findExecutable('mvn');
  if (mvn === undefined) {
    throw new PrerequisiteError(
      'mvn not found: it is needed once to download the Kafka broker jars. Install it with `apt-get install maven`.',
    );
  }
  return mvn;
}
