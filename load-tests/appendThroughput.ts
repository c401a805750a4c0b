import type pg from 'pg';
import type { EventEnvelope, EventStore } from '../contracts/index.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { createBenchDatabase } from './benchDatabase.js';
import { fmt, percentile } from './serverProcess.js';

const writers = 8;
const topic = 'awp.bench.events';
/** Streams each writer round-robins over in the "existing streams" variant. */
const streamsPerWriter = 4;

/** A ~300-byte event body, shaped like the platform's own events. */
const eventData = (seq: number) => ({
  workflowId: uuidV7Ids.newId(),
  name: `order-intake-${seq}`,
  version: 3,
  description: 'Collects an order from the customer, checks stock and asks a human to approve',
  inputSchema: { type: 'object', required: ['orderId', 'customerId'] },
  labels: { team: 'fulfilment', tier: 'gold' },
});

const metadata = (): Pick<
  EventEnvelope,
  'accountId' | 'correlationId' | 'causationId' | 'actor'
> => ({
  accountId: uuidV7Ids.newId(),
  correlationId: uuidV7Ids.newId(),
  causationId: null,
  actor: { type: 'user', id: 'user-7f3a2c' },
});

/** The envelope `createPgEventStore` would build for the same append, for the raw rows. */
const envelope = (streamId: string, seq: number): EventEnvelope => ({
  eventId: uuidV7Ids.newId(),
  type: 'WorkflowDefined',
  streamId,
  streamVersion: 1,
  schemaVersion: 1,
  occurredAt: systemClock.now().toISOString(),
  data: eventData(seq),
  ...metadata(),
});

const eventValues = (e: EventEnvelope) => [
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
  topic,
];

const insertEvent = `INSERT INTO bench_raw_events (event_id, type, stream_id, stream_version,
  schema_version, account_id, correlation_id, causation_id, actor, data, occurred_at, topic)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
const insertOutbox = `INSERT INTO bench_raw_outbox (event_id, topic, key, payload)
  VALUES ($1, $2, $3, $4)`;

/** Same columns, defaults, constraints and indexes as es_events / es_outbox, own sequences. */
const rawTables = `
  CREATE TABLE bench_raw_events (LIKE es_events INCLUDING ALL);
  CREATE SEQUENCE bench_raw_events_seq OWNED BY bench_raw_events.global_position;
  ALTER TABLE bench_raw_events ALTER global_position SET DEFAULT nextval('bench_raw_events_seq');
  CREATE TABLE bench_raw_outbox (LIKE es_outbox INCLUDING ALL);
  CREATE SEQUENCE bench_raw_outbox_seq OWNED BY bench_raw_outbox.position;
  ALTER TABLE bench_raw_outbox ALTER position SET DEFAULT nextval('bench_raw_outbox_seq');`;

type Operation = (writer: number, seq: number) => Promise<unknown>;

interface Variant {
  label: string;
  operation: Operation;
}

/** One-event appends, as a command handler issues them. */
function ourVariants(store: EventStore): Variant[] {
  const streams = Array.from({ length: writers }, (_, w) =>
    Array.from({ length: streamsPerWriter }, (_, s) => ({
      id: `bench-${w}-${s}-${uuidV7Ids.newId()}`,
      version: 0,
    })),
  );
  const request = (streamId: string, expectedVersion: number | 'no_stream', seq: number) => ({
    streamId,
    expectedVersion,
    events: [{ type: 'WorkflowDefined', data: eventData(seq) }],
    metadata: metadata(),
    topic,
  });
  return [
    {
      // A creation command: a new aggregate per append (the common case, e.g. POST /v1/tenants).
      label: 'ours: append, new stream each',
      operation: (_w, seq) => store.append(request(`bench-${uuidV7Ids.newId()}`, 'no_stream', seq)),
    },
    {
      label: `ours: append, ${streamsPerWriter} streams/writer, expected version`,
      operation: async (w, seq) => {
        const stream = streams[w]?.[seq % streamsPerWriter] as { id: string; version: number };
        const result = await store.append(request(stream.id, stream.version, seq));
        stream.version = result.nextVersion;
      },
    },
  ];
}

function rawVariants(pool: pg.Pool): Variant[] {
  return [
    {
      label: 'baseline: raw INSERT event (autocommit)',
      operation: (_w, seq) =>
        pool.query(insertEvent, eventValues(envelope(`bench-${uuidV7Ids.newId()}`, seq))),
    },
    {
      // What the store does for every statement (pgDatabase.ts): parse once per connection.
      label: 'raw INSERT event, named prepared statement',
      operation: (_w, seq) =>
        pool.query({
          name: 'bench_raw_insert_event',
          text: insertEvent,
          values: eventValues(envelope(`bench-${uuidV7Ids.newId()}`, seq)),
        }),
    },
    {
      label: 'raw BEGIN; INSERT event; INSERT outbox; COMMIT',
      operation: async (_w, seq) => {
        const e = envelope(`bench-${uuidV7Ids.newId()}`, seq);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(insertEvent, eventValues(e));
          await client.query(insertOutbox, [e.eventId, topic, e.accountId, JSON.stringify(e)]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    },
  ];
}

/** `writers` concurrent loops of `operation` until the deadline; each loop waits for its own. */
async function drive(operation: Operation, seconds: number) {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let seq = 0; performance.now() < deadline; seq++) {
        const before = performance.now();
        await operation(writer, seq);
        latencies.push(performance.now() - before);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSecond: latencies.length / elapsed,
    cpuPerEvent: (cpu.user + cpu.system) / latencies.length,
    latencies,
  };
}

interface Measured {
  perSecond: number[];
  cpuPerEvent: number[];
  latencies: number[][];
}

/**
 * Short rounds, rotated: this VM's two cores drift and are shared with other jobs, so each
 * round's ratio should compare figures taken seconds apart, and no variant should always run
 * first, last or on the fullest tables.
 */
async function runRounds(variants: readonly Variant[], seconds: number, rounds: number) {
  // Warm-up: JIT, one connection per pool slot, each statement prepared on each of them.
  for (const variant of variants) await drive(variant.operation, 1);
  const measured: Measured[] = variants.map(() => ({
    perSecond: [],
    cpuPerEvent: [],
    latencies: [],
  }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const result = await drive((variants[i] as Variant).operation, seconds);
      const m = measured[i] as Measured;
      m.perSecond.push(result.perSecond);
      m.cpuPerEvent.push(result.cpuPerEvent);
      m.latencies.push(result.latencies);
    }
  }
  return measured;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The first variant is the baseline; ratios are per round, then the median of those. */
function printTable(title: string, variants: readonly Variant[], measured: readonly Measured[]) {
  const baseline = (measured[0] as Measured).perSecond;
  console.log(`\n### ${title}`);
  console.log(
    '| variant | events/s | ratio to raw INSERT (p25–p75) | p50 ms | p99 ms | CPU µs/event in this process |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  variants.forEach((variant, i) => {
    const m = measured[i] as Measured;
    const ratios = m.perSecond.map((rate, r) => rate / (baseline[r] as number));
    ratios.sort((a, b) => a - b);
    const times = m.latencies.flat().sort((a, b) => a - b);
    const spread = `${fmt(percentile(ratios, 25), 2)}–${fmt(percentile(ratios, 75), 2)}`;
    const cells = [
      variant.label,
      fmt(median(m.perSecond), 0),
      `${fmt(median(ratios), 2)} (${spread})`,
      fmt(percentile(times, 50), 2),
      fmt(percentile(times, 99), 2),
      fmt(median(m.cpuPerEvent), 0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  });
}

interface ProfileSetup {
  label: string;
  url: string;
  poolSize: number;
  stop(): Promise<void>;
}

async function measureProfile(setup: ProfileSetup, seconds: number, rounds: number) {
  const db = createPgDatabase({ connectionString: setup.url, poolSize: setup.poolSize });
  // The baseline borrows the store's own pg.Pool but bypasses everything above it: same
  // connections and size (PGlite's socket accepts only one connection anyway).
  const raw = db.pool;
  try {
    await migrate(db, eventStoreMigrations);
    await raw.query(rawTables);
    const store = createPgEventStore({ db, clock: systemClock, ids: uuidV7Ids });
    const variants = [...rawVariants(raw), ...ourVariants(store)];
    const measured = await runRounds(variants, seconds, rounds);
    printTable(`${setup.label} (pool of ${setup.poolSize})`, variants, measured);
  } finally {
    await db.close();
    await setup.stop();
  }
}

async function embeddedSetup(): Promise<ProfileSetup> {
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  // One connection, as the platform's embedded profile (`embeddedPoolSize` in runtime/adapters).
  return { label: 'embedded (PGlite)', url: embedded.url, poolSize: 1, stop: embedded.stop };
}

async function realSetup(): Promise<ProfileSetup> {
  const database = await createBenchDatabase();
  return { label: 'PostgreSQL', url: database.url, poolSize: writers, stop: database.drop };
}

/**
 * Events/s of single-event appends through `createPgEventStore` (event + outbox row, version
 * check) from 8 concurrent writers, against raw autocommit INSERTs of the same rows with `pg`
 * into a copy of es_events, in interleaved rounds of one run. No relay runs: this is the write
 * path alone, and without the platform's `validate` (the bench event is in no schema catalog).
 * The CPU column is this process's: `pg` and our code, plus the whole database for PGlite.
 */
export async function appendThroughputBenchmark(options: {
  real: boolean;
  seconds?: number;
  rounds?: number;
}): Promise<void> {
  const seconds = options.seconds ?? 1;
  const rounds = options.rounds ?? 15;
  const dataBytes = JSON.stringify(eventData(0)).length;
  console.log(
    `\n## Append throughput: ${writers} writers, one event per append (data ${dataBytes} B JSON), median of ${rounds} interleaved rounds of ${seconds}s (target ratio >= 0.5 on PostgreSQL)`,
  );
  await measureProfile(await embeddedSetup(), seconds, rounds);
  if (options.real) await measureProfile(await realSetup(), seconds, rounds);
}
