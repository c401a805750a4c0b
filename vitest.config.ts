import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', '**/dist/**', '**/.awp/**'];

/**
 * Two kinds of test, one command (`npm test` runs both): `unit` is pure and fast; `int` talks to
 * PGlite and to the real PostgreSQL, Kafka and Redis started by `npm run services:up`. A third,
 * `qdrant`, exists only where AWP_QDRANT_URL names a Qdrant server: infra/dev cannot start one
 * on machines without Docker, and a suite that cannot run is left out rather than skipped.
 */
const qdrant = process.env.AWP_QDRANT_URL
  ? [
      {
        test: {
          name: 'qdrant',
          include: ['**/*.qdrant.spec.ts'],
          exclude: ignored,
          testTimeout: 60_000,
        },
      },
    ]
  : [];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.unit.spec.ts'],
          exclude: ignored,
        },
      },
      {
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts', 'test/**/*.spec.ts'],
          exclude: ignored,
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...qdrant,
    ],
  },
});
