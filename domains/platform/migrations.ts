import type { Migration } from '../../contracts/index.js';

/** The platform's read models: the truth is in the event store. */
export const platformMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-01-platform-tenants',
    sql: `
      CREATE TABLE IF NOT EXISTS platform_tenants (
        account_id  text PRIMARY KEY,
        name        text NOT NULL,
        tier        text NOT NULL,
        created_at  timestamptz NOT NULL,
        version     integer NOT NULL
      );
    `,
  },
];

/**
 * The secret store: ciphertext rows, changed in the transaction of the `SecretChanged` event
 * that records each change. Listed by every process that reads secrets (the workflow engine
 * too), so a process hosting only the workflow domain still finds the table.
 */
export const secretStoreMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-02-platform-secrets',
    sql: `
      CREATE TABLE IF NOT EXISTS platform_secrets (
        account_id   text NOT NULL,
        name         text NOT NULL,
        -- the stream version of the last change; the row outlives a delete to keep it
        version      integer NOT NULL,
        key_id       text,
        wrapped_key  bytea,
        nonce        bytea,
        ciphertext   bytea,
        updated_at   timestamptz NOT NULL,
        updated_by   jsonb NOT NULL,
        PRIMARY KEY (account_id, name)
      );
    `,
  },
];
