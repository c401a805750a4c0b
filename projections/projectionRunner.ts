import { AwpError, startOfLog } from '../contracts/index.js';
import type {
  Bus,
  Database,
  EventEnvelope,
  EventSerializer,
  EventStore,
  Migration,
  Projection,
  Subscription,
} from '../contracts/index.js';

/** The slice of a pino logger the runner uses; projections/ does not depend on infra/. */
interface Logger {
  info(fields: object, message: string): void;
}

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
  /** Source of truth for rebuilds: the bus may no longer hold the oldest events. */
  eventStore: EventStore;
  /** Decodes the Avro on the bus, reading each event with this version's schema. */
  serializer: EventSerializer;
  projections: readonly Projection[];
  logger?: Logger;
}

export interface ProjectionStatus {
  name: string;
  topics: readonly string[];
  eventsApplied: number;
  lastEventId: string | null;
  lastOccurredAt: string | null;
  updatedAt: string | null;
  /** Messages on its topics its consumer group has not processed; null when the bus is down. */
  lag: number | null;
  rebuilding: boolean;
}

export interface ProjectionRunner {
  list(): Promise<ProjectionStatus[]>;
  /** Empties the read model and replays every event of its topics from the event store. */
  rebuild(name: string): Promise<{ replayed: number }>;
  stop(): Promise<void>;
}

const replayPageSize = 500;
/** How long a rebuild waits for transactions older than it to finish. */
const replayWaitMs = 60_000;

/**
 * Feeds each projection from its own consumer group. The read-model write, the dedupe row and
 * the checkpoint share one transaction, so a redelivered event changes nothing (exactly-once
 * effect over at-least-once delivery).
 */
export async function startProjections(
  options: ProjectionRunnerOptions,
): Promise<ProjectionRunner> {
  const { bus, db, serializer, eventStore } = options;
  const byName = new Map(options.projections.map((p) => [p.name, p]));
  const subscriptions = new Map<string, Subscription>();
  const rebuilding = new Set<string>();

  async function subscribe(projection: Projection): Promise<void> {
    subscriptions.set(
      projection.name,
      await bus.subscribe({
        groupId: projectionGroupId(projection),
        topics: projection.topics,
        async handle(message) {
          await applyOnce(db, projection, [await serializer.decode(message.value)]);
        },
        // A backlog is applied a fetched batch per transaction: one commit (one WAL flush) for
        // many events is what lets a projection keep up with the append rate.
        async handleBatch(messages) {
          const events = await Promise.all(messages.map((m) => serializer.decode(m.value)));
          await applyOnce(db, projection, events);
        },
      }),
    );
  }
  for (const projection of options.projections) await subscribe(projection);

  function named(name: string): Projection {
    const projection = byName.get(name);
    if (projection === undefined) {
      throw new AwpError(
        'not_found',
        `no projection named '${name}' (known: ${[...byName.keys()].sort().join(', ') || 'none'})`,
      );
    }
    return projection;
  }

  return {
    async list() {
      const { rows } = await db.query<CheckpointRow>(
        `SELECT projection, events_applied::int AS events_applied, last_event_id,
                last_occurred_at, updated_at
         FROM projection_checkpoints WHERE projection = ANY($1::text[])`,
        [[...byName.keys()]],
      );
      const checkpoints = new Map(rows.map((row) => [row.projection, row]));
      return Promise.all(
        [...byName.values()].map(async (projection) => {
          const row = checkpoints.get(projection.name);
          const lag = await bus
            .lag(projectionGroupId(projection), projection.topics)
            .catch(() => null);
          return {
            name: projection.name,
            topics: projection.topics,
            eventsApplied: row?.events_applied ?? 0,
            lastEventId: row?.last_event_id ?? null,
            lastOccurredAt: row?.last_occurred_at?.toISOString() ?? null,
            updatedAt: row?.updated_at?.toISOString() ?? null,
            lag,
            rebuilding: rebuilding.has(projection.name),
          };
        }),
      );
    },

    async rebuild(name) {
      const projection = named(name);
      if (rebuilding.has(name)) {
        throw new AwpError('conflict', `projection '${name}' is already being rebuilt`);
      }
      rebuilding.add(name);
      try {
        // Paused while it is emptied and replayed; on resume the consumer group continues from
        // its committed offsets and the dedupe rows skip whatever the replay already applied.
        await subscriptions.get(name)?.stop();
        subscriptions.delete(name);
        await db.transaction(async (tx) => {
          await projection.reset(tx);
          await tx.query('DELETE FROM projection_processed_events WHERE projection = $1', [name]);
          await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [name]);
        });
        // Every event committed by now may already have been consumed (and was just erased),
        // so the replay must reach all of them, waiting out a transaction that holds the
        // horizon back. Later events still lie ahead of the consumer group.
        const filter = { topics: projection.topics, toPosition: await eventStore.headPosition() };
        const deadline = Date.now() + replayWaitMs;
        let replayed = 0;
        let cursor = startOfLog;
        for (;;) {
          const page = await eventStore.readAll(cursor, replayPageSize, filter);
          for (const stored of page.events) {
            // Through the same Avro as the bus, so replayed events look exactly like consumed
            // ones (defaults of fields added since they were written are filled in).
            const { globalPosition: _p, transactionId: _t, topic, ...envelope } = stored;
            const event = await serializer.decode(await serializer.encode(envelope, topic));
            replayed += await applyOnce(db, projection, [event]);
          }
          cursor = page.next;
          if (page.events.length === replayPageSize) continue;
          if ((await eventStore.lagBehind(cursor, filter)) === 0) break;
          if (Date.now() > deadline) {
            throw new AwpError(
              'unavailable',
              `rebuild of '${name}' waited ${replayWaitMs / 1000}s for a long-open transaction; try again`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        options.logger?.info({ projection: name, replayed }, 'projection rebuilt');
        return { replayed };
      } finally {
        await subscribe(projection).finally(() => rebuilding.delete(name));
      }
    },

    async stop() {
      await Promise.all([...subscriptions.values()].map((s) => s.stop()));
      subscriptions.clear();
    },
  };
}

interface CheckpointRow {
  projection: string;
  events_applied: number;
  last_event_id: string | null;
  last_occurred_at: Date | null;
  updated_at: Date | null;
}

/**
 * Applies, in order and in one transaction, those of `events` this projection has not applied
 * before; returns how many it applied.
 */
async function applyOnce(
  db: Database,
  projection: Projection,
  events: readonly EventEnvelope[],
): Promise<number> {
  return db.transaction(async (tx) => {
    // Recording the event ids first: a redelivered event inserts no row and is not applied again.
    const ids = [...new Set(events.map((event) => event.eventId.toLowerCase()))];
    const { rows } = await tx.query<{ event_id: string }>(
      `INSERT INTO projection_processed_events (projection, event_id)
       SELECT $1, id FROM unnest($2::uuid[]) AS id
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [projection.name, ids],
    );
    if (rows.length === 0) return 0;
    const fresh = new Set(rows.map((row) => row.event_id));
    let last: EventEnvelope | undefined;
    for (const event of events) {
      // delete: the same event twice in one batch (a redelivery) is applied once. Postgres
      // returns uuids in lower case.
      if (!fresh.delete(event.eventId.toLowerCase())) continue;
      await projection.apply(tx, event);
      last = event;
    }
    const applied = rows.length;
    await tx.query(
      `INSERT INTO projection_checkpoints
         (projection, events_applied, last_event_id, last_occurred_at, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (projection) DO UPDATE SET
         events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied,
         last_event_id = EXCLUDED.last_event_id,
         last_occurred_at = EXCLUDED.last_occurred_at,
         updated_at = now()`,
      [projection.name, applied, last?.eventId, last?.occurredAt],
    );
    return applied;
  });
}
