import { AwpError, StreamVersionConflict } from '../../contracts/index.js';
import type {
  AppendRequest,
  AppendResult,
  Clock,
  Database,
  EventEnvelope,
  EventStore,
  GlobalCursor,
  IdGenerator,
  LogFilter,
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
  /**
   * Throws for an event its schema cannot encode. Checked before the insert, so the outbox
   * never holds a row the relay could not publish.
   */
  validate?: (event: EventEnvelope) => void;
  /**
   * Send appends without unique keys as one statement outside an explicit transaction. Only
   * for a database with a single connection (the embedded PGlite), where statements cannot
   * interleave.
   */
  singleStatementAppends?: boolean;
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
    if (options.validate) envelopes.forEach(options.validate);
    // One statement stores the whole batch and its outbox rows, and only if the stream is still
    // at the version before it: a stale expectation inserts nothing instead of leaving a gap.
    // Rows keep the request's order (WITH ORDINALITY), so positions follow stream versions.
    const stored = await tx.query(
      `WITH expected AS (
         SELECT coalesce(max(stream_version), 0) = $3::int AS ok FROM es_events WHERE stream_id = $2),
       batch AS (
         SELECT * FROM unnest($1::uuid[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[])
           WITH ORDINALITY AS b(event_id, type, stream_version, schema_version, data, payload, ord)),
       stored AS (
         INSERT INTO es_events (event_id, type, stream_id, stream_version, schema_version,
           account_id, correlation_id, causation_id, actor, data, occurred_at, topic)
         SELECT b.event_id, b.type, $2, b.stream_version, b.schema_version, $9, $10, $11,
           $12::jsonb, b.data::jsonb, $13::timestamptz, $14
         FROM batch b WHERE (SELECT ok FROM expected) ORDER BY b.ord
         RETURNING event_id)
       INSERT INTO es_outbox (event_id, topic, key, payload)
       SELECT b.event_id, $14, $9, b.payload::jsonb FROM batch b JOIN stored s USING (event_id)
       ORDER BY b.ord`,
      [
        envelopes.map((e) => e.eventId),
        request.streamId,
        current,
        envelopes.map((e) => e.type),
        envelopes.map((e) => e.streamVersion),
        envelopes.map((e) => e.schemaVersion),
        envelopes.map((e) => JSON.stringify(e.data)),
        envelopes.map((e) => JSON.stringify(e)),
        request.metadata.accountId,
        request.metadata.correlationId,
        request.metadata.causationId,
        JSON.stringify(request.metadata.actor),
        occurredAt,
        request.topic,
      ],
    );
    if (stored.rowCount !== envelopes.length) {
      const actual = await currentVersion(tx, request.streamId);
      throw new StreamVersionConflict(request.streamId, String(expected), actual);
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
    for (const write of request.alongside ?? []) await tx.query(write.sql, write.params);

    return { nextVersion: current + envelopes.length, events: envelopes };
  }

  return {
    async append(request): Promise<AppendResult> {
      if (request.events.length === 0) {
        throw new AwpError('illegal_state', `nothing to append to stream '${request.streamId}'`);
      }
      try {
        // On a database with one connection (PGlite) an append without unique keys is sent as
        // its single statement, without BEGIN/COMMIT: one round trip instead of three, and
        // nothing can interleave with it. On PostgreSQL it stays in an explicit transaction:
        // the gap-free reader's property test once saw an event delivered twice with
        // single-statement appends under load, not yet explained (see README).
        const result =
          options.singleStatementAppends &&
          (request.uniqueKeys ?? []).length === 0 &&
          (request.alongside ?? []).length === 0 &&
          request.expectedVersion !== 'any'
            ? await appendInTransaction(db, request)
            : await db.transaction((tx) => appendInTransaction(tx, request));
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

    async readAll(after, limit, filter = {}) {
      const params: unknown[] = [after.transactionId, after.position, limit];
      const conditions = filterConditions(filter, params);
      // Taken before the read, so it is at or below the read's own horizon (see below).
      const horizon = conditions === '' ? undefined : await snapshotHorizon(db);
      // pg_snapshot_xmin: every transaction id below it has finished (committed or rolled back),
      // so nothing can still appear below the horizon once we have read past it.
      const { rows } = await db.query<
        EventRow & { global_position: string; transaction_id: string; topic: string }
      >(
        `SELECT ${eventColumns}, global_position::text AS global_position,
                transaction_id::text AS transaction_id, coalesce(topic, '') AS topic
         FROM es_events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
           AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())${conditions}
         ORDER BY transaction_id, global_position
         LIMIT $3`,
        params,
      );
      const events = rows.map((row) => ({
        ...toEnvelope(row),
        globalPosition: row.global_position,
        transactionId: row.transaction_id,
        topic: row.topic,
      }));
      const last = events.at(-1);
      const afterLast = last
        ? { transactionId: last.transactionId, position: last.globalPosition }
        : after;
      if (horizon === undefined || events.length === limit) return { events, next: afterLast };
      // A filtered page that is not full has scanned every event below the horizon, matching
      // or not: starting the next read there saves it from scanning them again.
      return { events, next: laterCursor(afterLast, cursorBelow(horizon)) };
    },

    async lagBehind(after, filter = {}) {
      const params: unknown[] = [after.transactionId, after.position];
      const conditions = filterConditions(filter, params);
      const { rows } = await db.query<{ lag: string }>(
        `SELECT count(*)::text AS lag FROM es_events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)${conditions}`,
        params,
      );
      return Number(rows[0]?.lag ?? 0);
    },

    async headPosition() {
      const { rows } = await db.query<{ head: string }>(
        'SELECT coalesce(max(global_position), 0)::text AS head FROM es_events',
      );
      return rows[0]?.head ?? '0';
    },

    async horizonCursor() {
      return cursorBelow(await snapshotHorizon(db));
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

const maxPosition = '9223372036854775807';

/** The cursor past every event of a transaction below `horizon` (a snapshot's xmin). */
function cursorBelow(horizon: bigint): GlobalCursor {
  return { transactionId: String(horizon - 1n), position: maxPosition };
}

async function snapshotHorizon(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ xmin: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  );
  return BigInt(rows[0]?.xmin ?? '0');
}

function laterCursor(a: GlobalCursor, b: GlobalCursor): GlobalCursor {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta > tb ? a : b;
  return BigInt(a.position) >= BigInt(b.position) ? a : b;
}

/** SQL for a log filter, appending its values to `params`; empty without a filter. */
function filterConditions(filter: LogFilter, params: unknown[]): string {
  const parts: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.accountId !== undefined) add((p) => `account_id = ${p}`, filter.accountId);
  if (filter.types?.length) add((p) => `type = ANY(${p}::text[])`, filter.types);
  if (filter.topics?.length) add((p) => `topic = ANY(${p}::text[])`, filter.topics);
  if (filter.streamId !== undefined) add((p) => `stream_id = ${p}`, filter.streamId);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at < ${p}::timestamptz`, filter.to);
  if (filter.toPosition !== undefined) {
    add((p) => `global_position <= ${p}::bigint`, filter.toPosition);
  }
  return parts.map((part) => `\n           AND ${part}`).join('');
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
