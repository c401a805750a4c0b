import type { Migration } from '../../contracts/index.js';

/**
 * Event store, unique-key reservations and the transactional outbox. `transaction_id` is kept
 * for gap-free readers of the global log: a position alone can be overtaken by a slower commit.
 */
export const eventStoreMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-00-event-store',
    sql: `
      CREATE TABLE IF NOT EXISTS es_events (
        global_position bigserial PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid NOT NULL UNIQUE,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL,
        type            text NOT NULL,
        schema_version  integer NOT NULL,
        account_id      text NOT NULL,
        correlation_id  text NOT NULL,
        causation_id    text,
        actor           jsonb NOT NULL,
        data            jsonb NOT NULL,
        occurred_at     timestamptz NOT NULL,
        CONSTRAINT es_events_stream_version UNIQUE (stream_id, stream_version)
      );
      CREATE INDEX IF NOT EXISTS es_events_account ON es_events (account_id, global_position);

      CREATE TABLE IF NOT EXISTS es_unique_keys (
        scope      text NOT NULL,
        value      text NOT NULL,
        stream_id  text NOT NULL,
        PRIMARY KEY (scope, value)
      );

      CREATE TABLE IF NOT EXISTS es_outbox (
        position    bigserial PRIMARY KEY,
        event_id    uuid NOT NULL,
        topic       text NOT NULL,
        key         text NOT NULL,
        payload     jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        sent_at     timestamptz
      );
      CREATE INDEX IF NOT EXISTS es_outbox_unsent ON es_outbox (position) WHERE sent_at IS NULL;
    `,
  },
  {
    // Projections rebuild from the store and the audit CLI filters by topic; the outbox row
    // that held it may be gone, so the event keeps it.
    id: '2026-11-28-00-event-topic',
    sql: `
      ALTER TABLE es_events ADD COLUMN IF NOT EXISTS topic text;
      UPDATE es_events e SET topic = o.topic FROM es_outbox o
        WHERE o.event_id = e.event_id AND e.topic IS NULL;
      CREATE INDEX IF NOT EXISTS es_events_occurred ON es_events (occurred_at);
    `,
  },
];
