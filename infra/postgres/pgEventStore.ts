import { AwpError, StreamVersionConflict } from '../../contracts/index.js';
import type {
  AppendRequest,
  AppendResult,
  Clock,
  Database,
  EventEnvelope,
  EventStore,
  IdGenerator,
  Queryable,
} from '../../contracts/index.js';

interface EventRow {
  event_id: string;
  type: string;
  stream_id: string;
  stream_version: number;
  schema_version: number;
  account_id: string;
  correlation_id: string;
  causation_id: string | null;
  actor: EventEnvelope['actor'];
  data: unknown;
  occurred_at: Date;
}

const eventColumns = `event_id, type, stream_id, stream_version, schema_version, account_id,
  correlation_id, causation_id, actor, data, occurred_at`;

const toEnvelope = (row: EventRow): EventEnvelope => ({
  eventId: row.event_id,
  type: row.type,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  schemaVersion: row.schema_version,
  accountId: row.account_id,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  actor: row.actor,
  data: row.data,
  occurredAt: row.occurred_at.toISOString(),
});

export interface PgEventStoreOptions {
  db: Database;
  clock: Clock;
  ids: IdGenerator;
  /** Called after a commit that wrote outbox rows, so a local relay publishes without waiting. */
  onAppended?: () => void;
}

const uniqueViolation = '23505';

/** Event store over Postgres tables: events, unique-key reservations and outbox in one commit. */
export function createPgEventStore(options: PgEventStoreOptions): EventStore {
  const { db, clock, ids } = options;

  async function appendInTransaction(tx: Queryable, request: AppendRequest) {
    const expected = request.expectedVersion;
    // With an explicit expectation the version check rides on the insert itself (see below);
    // only `any` needs to read the current version first.
    const current =
      expected === 'any'
        ? await currentVersion(tx, request.streamId)
        : expected === 'no_stream'
          ? 0
          : expected;

    const occurredAt = clock.now().toISOString();
    const envelopes: EventEnvelope[] = request.events.map((event, index) => ({
      eventId: ids.newId(),
      type: event.type,
      streamId: request.streamId,
      streamVersion: current + index + 1,
      schemaVersion: event.schemaVersion ?? 1,
      occurredAt,
      data: event.data,
      ...request.metadata,
    }));
    for (const e of envelopes) {
      // One statement stores the event and its outbox row, and only if the stream is still at
      // the version before it: a stale expectation inserts nothing instead of leaving a gap.
      const stored = await tx.query(
        `WITH stored AS (
           INSERT INTO es_events (event_id, type, stream_id, stream_version, schema_version,
             account_id, correlation_id, causation_id, actor, data, occurred_at)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
           WHERE (SELECT coalesce(max(stream_version), 0) FROM es_events WHERE stream_id = $3)
             = $4::int - 1
           RETURNING event_id, account_id)
         INSERT INTO es_outbox (event_id, topic, key, payload)
         SELECT event_id, $12, account_id, $13 FROM stored`,
        [
          e.eventId,
          e.type,
          e.streamId,
          e.streamVersion,
          e.schemaVersion,
          e.accountId,
          e.correlationId,
          e.causationId,
          JSON.stringify(e.actor),
          JSON.stringify(e.data),
          e.occurredAt,
          request.topic,
          JSON.stringify(e),
        ],
      );
      if (stored.rowCount === 0) {
        const actual = await currentVersion(tx, request.streamId);
        throw new StreamVersionConflict(request.streamId, String(expected), actual);
      }
    }
    // Reserved after the events on purpose: the first write of a transaction fixes its id, and
    // the global reader orders by transaction id. With the event insert first, a later append
    // to the same stream (which must see this one committed) always gets a larger id, so the
    // (transaction id, position) order keeps every stream's own order.
    for (const key of request.uniqueKeys ?? []) {
      const reserved = await tx.query(
        `INSERT INTO es_unique_keys (scope, value, stream_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [key.scope, key.value, request.streamId],
      );
      if (reserved.rowCount === 0) {
        throw new AwpError('conflict', key.takenMessage);
      }
    }

    return { nextVersion: current + envelopes.length, events: envelopes };
  }

  return {
    async append(request): Promise<AppendResult> {
      if (request.events.length === 0) {
        throw new AwpError('illegal_state', `nothing to append to stream '${request.streamId}'`);
      }
      try {
        const result = await db.transaction((tx) => appendInTransaction(tx, request));
        options.onAppended?.();
        return result;
      } catch (error) {
        // Two writers that both read version N race on the (stream, version) constraint.
        if (isUniqueViolation(error, 'es_events_stream_version')) {
          const actual = await currentVersion(db, request.streamId);
          throw new StreamVersionConflict(
            request.streamId,
            String(request.expectedVersion),
            actual,
          );
        }
        throw error;
      }
    },

    async readAll(after, limit) {
      // pg_snapshot_xmin: every transaction id below it has finished (committed or rolled back),
      // so nothing can still appear below the horizon once we have read past it.
      const { rows } = await db.query<
        EventRow & { global_position: string; transaction_id: string }
      >(
        `SELECT ${eventColumns}, global_position::text AS global_position,
                transaction_id::text AS transaction_id
         FROM es_events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
           AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY transaction_id, global_position
         LIMIT $3`,
        [after.transactionId, after.position, limit],
      );
      const events = rows.map((row) => ({
        ...toEnvelope(row),
        globalPosition: row.global_position,
        transactionId: row.transaction_id,
      }));
      const last = events.at(-1);
      return {
        events,
        next: last ? { transactionId: last.transactionId, position: last.globalPosition } : after,
      };
    },

    async lagBehind(after) {
      const { rows } = await db.query<{ lag: string }>(
        `SELECT count(*)::text AS lag FROM es_events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
        [after.transactionId, after.position],
      );
      return Number(rows[0]?.lag ?? 0);
    },

    async readStream(streamId) {
      const { rows } = await db.query<EventRow>(
        `SELECT ${eventColumns} FROM es_events WHERE stream_id = $1 ORDER BY stream_version`,
        [streamId],
      );
      return rows.map(toEnvelope);
    },
  };
}

async function currentVersion(db: Queryable, streamId: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    'SELECT coalesce(max(stream_version), 0)::int AS version FROM es_events WHERE stream_id = $1',
    [streamId],
  );
  return rows[0]?.version ?? 0;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === uniqueViolation && e.constraint === constraint;
}
