import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from './devService.js';
import { ServiceError } from './devService.js';
import { kafkaVersion } from './kafkaConfig.js';
import { requireMaven } from './prerequisites.js';
import { runCommand } from './processes.js';
import { kafkaSourceDirectory, serviceDirectory } from './serviceDirectories.js';

const pomFile = join(kafkaSourceDirectory, 'pom.xml');
export const kafkaLibDirectory = join(serviceDirectory('kafka'), 'lib');
const stampFile = join(kafkaLibDirectory, '.awp-stamp');

/** Changes whenever the pom does (a version bump, another logging binding). */
async function expectedStamp(): Promise<string> {
  const pom = await readFile(pomFile);
  return `kafka ${kafkaVersion} pom-sha256 ${createHash('sha256').update(pom).digest('hex')}\n`;
}

async function hasCurrentJars(stamp: string): Promise<boolean> {
  const current = await readFile(stampFile, 'utf8').catch(() => undefined);
  if (current !== stamp) return false;
  const files = await readdir(kafkaLibDirectory).catch(() => [] as string[]);
  return files.includes(`kafka_2.13-${kafkaVersion}.jar`);
}

/**
 * Maven Central is a registry we can always reach, unlike the Apache download mirrors, so the
 * broker comes as jars resolved from a pom rather than as the release tarball. Resolving takes
 * a while on a cold ~/.m2, hence the stamp: later `up`s skip Maven entirely.
 */
export async function ensureKafkaJars(progress: Progress): Promise<string> {
  const stamp = await expectedStamp();
  if (await hasCurrentJars(stamp)) return kafkaLibDirectory;
  const mvn = await requireMaven();
  progress(
    `resolving Kafka ${kafkaVersion} jars with Maven into ${kafkaLibDirectory} (first run only)`,
  );
  // Download next to the target and swap it in, so an interrupted run never leaves a half
  // class path that a later `up` would mistake for a complete one.
  const partial = `${kafkaLibDirectory}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    pomFile,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${partial}`,
    '-DincludeScope=runtime',
  ];
  const result = await runCommand(mvn, args, { cwd: kafkaSourceDirectory });
  if (result.code !== 0) {
    throw new ServiceError(
      'kafka',
      `mvn dependency:copy-dependencies failed (exit ${result.code}):\n${result.output}`,
    );
  }
  await writeFile(join(partial, '.awp-stamp'), stamp);
  await rm(kafkaLibDirectory, { recursive: true, force: true });
  await rename(partial, kafkaLibDirectory);
  return kafkaLibDirectory;
}
