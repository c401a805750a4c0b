import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from './devService.js';

/**
 * Derived from this file's location rather than process.cwd() so that `npm run services:up`
 * from a subfolder, a test runner with another cwd, and CI's fresh clone all agree on where
 * the data lives.
 */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Git-ignored; wiping it resets every service to a fresh state. */
export const servicesRoot = join(repoRoot, '.awp', 'services');

export function serviceDirectory(name: ServiceName): string {
  return join(servicesRoot, name);
}

/** Sources kept in the repository next to this code (Maven project, log4j2 config). */
export const kafkaSourceDirectory = join(repoRoot, 'infra', 'dev', 'kafka');
