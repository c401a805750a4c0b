import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { devEndpoints } from '../../infra/dev/endpoints.js';
import type { ServiceName } from '../setup/serviceProbes.js';

/**
 * `describe` for tests that need real services. Outside CI a missing service skips the block
 * and says why; in CI the global setup has already failed the run.
 */
export function describeWithServices(
  names: readonly ServiceName[],
  title: string,
  body: () => void,
): void {
  const services = inject('services');
  const missing = names.filter((name) => !services[name].available);
  if (missing.length > 0) {
    console.warn(`skipping '${title}': ${missing.join(', ')} unreachable`);
  }
  describe.skipIf(missing.length > 0)(title, body);
}

/** A short random suffix: each spec file gets its own database, topics and keys. */
export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the real PostgreSQL, dropped (with its connections) afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `awp_test_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: devEndpoints.postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(devEndpoints.postgres.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: devEndpoints.postgres.url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
