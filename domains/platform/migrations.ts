import type { Migration } from '../../contracts/index.js';

/** Tables the platform domain owns. Read models only: the truth is in the event store. */
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
