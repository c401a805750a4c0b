import { hostname } from 'node:os';
import { pino } from 'pino';
import {
  createConfluentRegistryClient,
  createEventCatalog,
  createEventSerializer,
  eventSchemas,
  platformTopic,
} from '../contracts/index.js';
import type { Bus, EventStore, Migration, Projection } from '../contracts/index.js';
import { schemaRegistryMigrations } from '../contracts/registry/index.js';
import { createInProcessBus, inProcessBusMigrations } from '../infra/bus/inProcessBus.js';
import { createKafkaBus } from '../infra/bus/kafkaBus.js';
import { createPlatformaticKafkaBus } from '../infra/bus/platformaticKafkaBus.js';
import type { KafkaClient } from '../infra/config/config.js';
import { devEndpoints } from '../infra/dev/endpoints.js';
import { startOutboxRelay } from '../infra/outbox/outboxRelay.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { createLease, leaseMigrations } from '../infra/postgres/lease.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { projectionMigrations, startProjections } from '../projections/index.js';
import { startTestRegistry } from '../test/support/testRegistry.js';
import { createBenchDatabase } from './benchDatabase.js';

/**
 * The event pipeline of the latency benchmark, composed as infra/runtime/platform.ts composes
 * it (store, relay, registry, bus, projection runner), with a timestamp at every step.
 */

/** Platform defaults: AWP_RELAY_POLL_MS, AWP_TOPIC_PARTITIONS, AWP_DB_POOL_SIZE, platform.ts. */
const relayPollMs = 250;
const partitions = 6;
const realPoolSize = 10;
const relayLeaseTtlMs = 15_000;
export const roundTripTopic = 'bench.roundtrip';

/** performance.now() at each step of one event; events are keyed by their (new) accountId. */
export interface Timeline {
  appendStart: number;
  appended?: number;
  relayPublish?: number;
  acked?: number;
  handlerStart?: number;
  applied?: number;
  visible?: number;
}

export interface Recorder {
  timelines: Map<string, Timeline>;
  visible: number;
  /** Messages per `publish` call of the relay. */
  batchSizes: number[];
  /** Messages per projection transaction (one unless the bus handed over a batch). */
  appliedBatchSizes: number[];
}

export function stamp(
  recorder: Recorder,
  key: string,
  step: Exclude<keyof Timeline, 'appendStart'>,
) {
  const timeline = recorder.timelines.get(key);
  if (timeline === undefined || timeline[step] !== undefined) return;
  timeline[step] = performance.now();
  if (step === 'visible') recorder.visible++;
}

/**
 * The bus, timestamping each event: when the relay hands it over and the broker acknowledged,
 * when the projection's handler starts and when it resolved (its transaction committed).
 */
function observedBus(bus: Bus, recorder: Recorder): Bus {
  return {
    async publish(messages) {
      recorder.batchSizes.push(messages.length);
      for (const m of messages) stamp(recorder, m.key, 'relayPublish');
      await bus.publish(messages);
      for (const m of messages) stamp(recorder, m.key, 'acked');
    },
    subscribe: (sub) =>
      bus.subscribe({
        ...sub,
        async handle(message) {
          stamp(recorder, message.key, 'handlerStart');
          await sub.handle(message);
          stamp(recorder, message.key, 'visible');
          recorder.appliedBatchSizes.push(1);
        },
        ...(sub.handleBatch && {
          handleBatch: async (messages) => {
            for (const m of messages) stamp(recorder, m.key, 'handlerStart');
            await sub.handleBatch?.(messages);
            for (const m of messages) stamp(recorder, m.key, 'visible');
            recorder.appliedBatchSizes.push(messages.length);
          },
        }),
      }),
    lag: (groupId, topics) => bus.lag(groupId, topics),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}

const benchTable: Migration = {
  id: '2099-01-01-00-bench-latency',
  sql: `CREATE TABLE IF NOT EXISTS bench_latency_tenants (
    account_id text PRIMARY KEY, name text NOT NULL, stream_id text NOT NULL)`,
};

/** One upsert per event, like the tenants read model. */
const benchProjection = (recorder: Recorder): Projection => ({
  name: 'bench-latency',
  topics: [platformTopic],
  async apply(tx, event) {
    const data = event.data as { accountName: string };
    await tx.query(
      `INSERT INTO bench_latency_tenants (account_id, name, stream_id) VALUES ($1, $2, $3)
       ON CONFLICT (account_id) DO UPDATE SET name = EXCLUDED.name`,
      [event.accountId, data.accountName, event.streamId],
    );
    stamp(recorder, event.accountId, 'applied');
  },
  async reset(tx) {
    await tx.query('DELETE FROM bench_latency_tenants');
  },
});

export interface Profile {
  label: string;
  url: string;
  poolSize: number;
  /** The Kafka client behind the bus; none = the in-process bus. */
  kafka: KafkaClient | undefined;
  stop(): Promise<void>;
}

export interface Pipeline {
  label: string;
  store: EventStore;
  bus: Bus;
  recorder: Recorder;
  /** When the round-trip subscription received each key. */
  received: Map<string, number>;
  stop(): Promise<void>;
}

/** Composed as infra/runtime/platform.ts composes it, without the gateway and the domains. */
export async function openPipeline(profile: Profile): Promise<Pipeline> {
  const logger = pino({ level: 'warn' });
  const recorder: Recorder = {
    timelines: new Map(),
    visible: 0,
    batchSizes: [],
    appliedBatchSizes: [],
  };
  const received = new Map<string, number>();
  const closers: Array<() => Promise<void>> = [profile.stop];
  try {
    const db = createPgDatabase({ connectionString: profile.url, poolSize: profile.poolSize });
    closers.push(db.close);
    await migrate(db, [
      ...eventStoreMigrations,
      ...leaseMigrations,
      ...projectionMigrations,
      ...schemaRegistryMigrations,
      ...(profile.kafka !== undefined ? [] : inProcessBusMigrations),
      benchTable,
    ]);
    const registry = await startTestRegistry(db);
    closers.push(registry.close);
    const kafkaOptions = {
      brokers: [devEndpoints.kafka.brokers],
      clientId: 'awp',
      partitions,
      replicationFactor: 1,
      topicPrefix: `bench-latency-${Date.now().toString(36)}.`,
      logger,
    };
    const bus =
      profile.kafka === 'platformatic'
        ? createPlatformaticKafkaBus(kafkaOptions)
        : profile.kafka === 'kafkajs'
          ? createKafkaBus(kafkaOptions)
          : createInProcessBus({ db, partitions, logger });
    closers.push(bus.close);
    const catalog = createEventCatalog(eventSchemas);
    let wakeRelay = (): void => undefined;
    const store = createPgEventStore({
      db,
      clock: systemClock,
      ids: uuidV7Ids,
      onAppended: () => wakeRelay(),
      validate: catalog.validate,
    });
    const serializer = createEventSerializer({
      catalog,
      registry: createConfluentRegistryClient({ url: registry.url }),
    });
    const observed = observedBus(bus, recorder);
    const relay = startOutboxRelay({
      db,
      bus: observed,
      serializer,
      logger,
      pollMs: relayPollMs,
      lease: createLease(
        db,
        'outbox-relay',
        `${hostname()}:${process.pid}:${uuidV7Ids.newId()}`,
        relayLeaseTtlMs,
      ),
      leaseTtlMs: relayLeaseTtlMs,
    });
    wakeRelay = relay.wake;
    closers.push(relay.stop);
    const projections = await startProjections({
      bus: observed,
      db,
      eventStore: store,
      serializer,
      logger,
      projections: [benchProjection(recorder)],
    });
    closers.push(projections.stop);
    const roundTrip = await bus.subscribe({
      groupId: 'bench-roundtrip',
      topics: [roundTripTopic],
      async handle(message) {
        received.set(message.key, performance.now());
      },
    });
    closers.push(roundTrip.stop);
    const stop = () => closeAll(closers);
    return { label: profile.label, store, bus, recorder, received, stop };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
}

export async function realProfile(kafka: KafkaClient): Promise<Profile> {
  const database = await createBenchDatabase();
  return {
    label: `distributed (PostgreSQL + Kafka via ${kafka === 'platformatic' ? '@platformatic/kafka' : 'kafkajs'})`,
    url: database.url,
    poolSize: realPoolSize,
    kafka,
    stop: database.drop,
  };
}

export async function embeddedProfile(): Promise<Profile> {
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  return {
    label: 'embedded (PGlite + in-process bus)',
    url: embedded.url,
    // One connection, as the platform's embedded profile (`embeddedPoolSize` in runtime/adapters).
    poolSize: 1,
    kafka: undefined,
    stop: embedded.stop,
  };
}
