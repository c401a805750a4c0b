import type { Bus, Database, Migration, Projection, Subscription } from '../contracts/index.js';
import { decodeEvent } from '../contracts/index.js';

export const projectionMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-00-projections',
    sql: `
      CREATE TABLE IF NOT EXISTS projection_checkpoints (
        projection      text PRIMARY KEY,
        events_applied  bigint NOT NULL DEFAULT 0,
        last_event_id   uuid,
        last_occurred_at timestamptz,
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS projection_processed_events (
        projection  text NOT NULL,
        event_id    uuid NOT NULL,
        PRIMARY KEY (projection, event_id)
      );
    `,
  },
];

/** Each projection is its own consumer group, so each keeps its own offsets and lag. */
export const projectionGroupId = (projection: Projection): string =>
  `awp.projection.${projection.name}`;

export interface ProjectionRunnerOptions {
  bus: Bus;
  db: Database;
  projections: readonly Projection[];
}

/**
 * Feeds each projection from its own consumer group. The read-model write, the dedupe row and
 * the checkpoint share one transaction, so a redelivered event changes nothing (exactly-once
 * effect over at-least-once delivery).
 */
export async function startProjections(options: ProjectionRunnerOptions): Promise<Subscription> {
  const { bus, db } = options;
  const subscriptions: Subscription[] = [];
  for (const projection of options.projections) {
    subscriptions.push(
      await bus.subscribe({
        groupId: projectionGroupId(projection),
        topics: projection.topics,
        async handle(message) {
          const event = decodeEvent(message.value);
          await db.transaction(async (tx) => {
            // Recording the event id and advancing the checkpoint in one statement: a
            // redelivered event inserts nothing, returns no row and is not applied again.
            const fresh = await tx.query(
              `WITH fresh AS (
                 INSERT INTO projection_processed_events (projection, event_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING RETURNING projection)
               INSERT INTO projection_checkpoints
                 (projection, events_applied, last_event_id, last_occurred_at, updated_at)
               SELECT projection, 1, $2, $3, now() FROM fresh
               ON CONFLICT (projection) DO UPDATE SET
                 events_applied = projection_checkpoints.events_applied + 1,
                 last_event_id = EXCLUDED.last_event_id,
                 last_occurred_at = EXCLUDED.last_occurred_at,
                 updated_at = now()
               RETURNING projection`,
              [projection.name, event.eventId, event.occurredAt],
            );
            if (fresh.rowCount === 0) return;
            await projection.apply(tx, event);
          });
        },
      }),
    );
  }
  return {
    async stop() {
      await Promise.all(subscriptions.map((s) => s.stop()));
    },
  };
}
