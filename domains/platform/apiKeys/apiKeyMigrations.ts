import type { Migration } from '../../../contracts/index.js';

/**
 * API keys: rows changed in the transaction of the `AuthEvent` that records each change. Every
 * process authenticates requests, so every process lists this migration (applied once).
 */
export const apiKeyMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-03-platform-api-keys',
    sql: `
      CREATE TABLE IF NOT EXISTS platform_api_keys (
        key_id       text PRIMARY KEY,
        account_id   text NOT NULL,
        name         text NOT NULL,
        roles        text[] NOT NULL,
        secret_hash  bytea NOT NULL,
        created_at   timestamptz NOT NULL,
        created_by   jsonb NOT NULL,
        revoked_at   timestamptz
      );
      CREATE INDEX IF NOT EXISTS platform_api_keys_account ON platform_api_keys (account_id);
    `,
  },
];
