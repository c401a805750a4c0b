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
  {
    id: '2026-11-29-00-platform-tenant-status',
    sql: `
      ALTER TABLE platform_tenants
        ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'suspended')),
        ADD COLUMN IF NOT EXISTS suspended_reason text;
      -- "standard" was renamed "pro"; the projection writes only current names from now on.
      UPDATE platform_tenants SET tier = 'pro' WHERE tier = 'standard';
    `,
  },
  {
    id: '2026-11-29-01-platform-usage',
    sql: `
      -- The usage projection (platform.usage): what each account holds and uses, fed by the
      -- workflow domain's events. Rows, not counters, where redelivery or a second terminal
      -- event must not count twice.
      CREATE TABLE IF NOT EXISTS platform_usage_workflows (
        account_id   text NOT NULL,
        workflow_id  text NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (account_id, workflow_id)
      );
      -- Executions started and not yet ended: a row lives from start to end.
      CREATE TABLE IF NOT EXISTS platform_usage_running (
        account_id    text NOT NULL,
        execution_id  text NOT NULL,
        started_at    timestamptz NOT NULL,
        PRIMARY KEY (account_id, execution_id)
      );
      CREATE TABLE IF NOT EXISTS platform_usage_monthly (
        account_id          text NOT NULL,
        month               text NOT NULL,  -- 'YYYY-MM', UTC
        executions_started  bigint NOT NULL DEFAULT 0,
        llm_tokens          bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, month)
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
