import type { Bus, Cache, Clock, Database } from '../../contracts/index.js';
import { createInProcessBus } from '../bus/inProcessBus.js';
import { createMemoryCache } from '../cache/memoryCache.js';
import type { Config, KafkaClient } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { startEmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import type { EmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import { createPgDatabase } from '../postgres/pgDatabase.js';
import { prioritizeRequests } from '../postgres/prioritizedDatabase.js';

/** Which implementation each port got: shown at start-up and by /readyz's consumers. */
export interface ProfileDescription {
  database: 'pglite' | 'postgres';
  bus: 'in-process' | `kafka (${KafkaClient})`;
  cache: 'memory' | 'redis';
}

export interface Adapters {
  profile: ProfileDescription;
  db: Database;
  /**
   * The same database for work nobody waits on (relay, projections, the in-process bus). On
   * the embedded database it yields to requests (prioritizedDatabase.ts); on PostgreSQL it is
   * `db`.
   */
  backgroundDb: Database;
  bus: Bus;
  cache: Cache;
  /** Closes everything in reverse order of opening. */
  close(): Promise<void>;
}

/**
 * PGlite has one backend, and pglite-socket's multiplexer interleaves the extended-protocol
 * messages (Parse/Bind/Execute) of concurrent connections, so two connections can bind each
 * other's statements. One connection is correct, and costs nothing: PGlite runs one query at a
 * time anyway. The pg pool queues callers in order.
 */
const embeddedPoolSize = 1;

/**
 * With one connection, waiting for it is queueing behind other statements, not connecting: a
 * burst (a thousand conversations replying at once) waits its turn rather than failing after
 * pg's usual 5 s.
 */
const embeddedQueueTimeoutMs = 60_000;

/**
 * The profile is chosen per port: a configured URL selects the real service, its absence the
 * embedded implementation. That is the only place that knows both.
 */
export async function openAdapters(
  config: Config,
  logger: Logger,
  clock: Clock,
  /** An embedded database the caller already started (the CLI overlaps it with loading code). */
  embeddedDatabase?: Promise<EmbeddedPostgres>,
): Promise<Adapters> {
  const closers: Array<() => Promise<void>> = [];
  try {
    let databaseUrl = config.databaseUrl;
    let poolSize = config.dbPoolSize;
    let acquireTimeoutMs: number | undefined;
    if (!databaseUrl) {
      const embedded = await (embeddedDatabase ??
        startEmbeddedPostgres({ dataDir: config.dataDir }));
      closers.push(embedded.stop);
      databaseUrl = embedded.url;
      poolSize = embeddedPoolSize;
      acquireTimeoutMs = embeddedQueueTimeoutMs;
    }
    const pool = createPgDatabase({
      connectionString: databaseUrl,
      poolSize,
      ...(acquireTimeoutMs ? { acquireTimeoutMs } : {}),
    });
    closers.push(pool.close);
    const { requests: db, background: backgroundDb } = config.databaseUrl
      ? { requests: pool, background: pool }
      : prioritizeRequests(pool);

    // Kafka and Redis clients are loaded only when configured: the embedded profile starts
    // faster without parsing them.
    const kafkaOptions = config.kafkaBrokers && {
      brokers: config.kafkaBrokers,
      clientId: 'awp',
      partitions: config.topicPartitions,
      replicationFactor: config.topicReplicationFactor,
      topicPrefix: config.topicPrefix,
      logger,
    };
    // @platformatic/kafka by default (lower latency, incremental rebalances: README,
    // "Kafka client"); kafkajs stays available behind the same port.
    const bus = kafkaOptions
      ? config.kafkaClient === 'kafkajs'
        ? (await import('../bus/kafkaBus.js')).createKafkaBus(kafkaOptions)
        : (await import('../bus/platformaticKafkaBus.js')).createPlatformaticKafkaBus(kafkaOptions)
      : createInProcessBus({ db: backgroundDb, partitions: config.topicPartitions, logger });
    closers.push(bus.close);

    const cache = config.redisUrl
      ? (await import('../cache/redisCache.js')).createRedisCache({
          url: config.redisUrl,
          keyPrefix: `${config.topicPrefix}awp:`,
        })
      : createMemoryCache(clock);
    closers.push(cache.close);

    return {
      profile: {
        database: config.databaseUrl ? 'postgres' : 'pglite',
        bus: config.kafkaBrokers ? `kafka (${config.kafkaClient})` : 'in-process',
        cache: config.redisUrl ? 'redis' : 'memory',
      },
      db,
      backgroundDb,
      bus,
      cache,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of closers.reverse()) {
    await close().catch(() => undefined);
  }
}
