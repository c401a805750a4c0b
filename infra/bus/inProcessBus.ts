import type {
  Bus,
  BusMessage,
  ConsumedMessage,
  Database,
  Migration,
  Subscription,
  SubscriptionOptions,
} from '../../contracts/index.js';
import type { Logger } from '../logging/logger.js';
import { createWakeableLoop } from '../outbox/wakeableLoop.js';
import { partitionFor } from './partitioner.js';

/**
 * The embedded profile's Kafka: a partitioned log in the embedded database. Same semantics as
 * the Kafka adapter — partition by key (murmur2), order per partition, consumer groups with
 * committed offsets, at-least-once — and, like Kafka, it survives a restart.
 */
export const inProcessBusMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-00-in-process-bus',
    sql: `
      CREATE TABLE IF NOT EXISTS bus_records (
        topic      text NOT NULL,
        partition  integer NOT NULL,
        "offset"   bigint NOT NULL,
        key        text NOT NULL,
        value      bytea NOT NULL,
        headers    jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      );
      CREATE TABLE IF NOT EXISTS bus_group_offsets (
        group_id   text NOT NULL,
        topic      text NOT NULL,
        partition  integer NOT NULL,
        "offset"   bigint NOT NULL,
        PRIMARY KEY (group_id, topic, partition)
      );
    `,
  },
];

export interface InProcessBusOptions {
  db: Database;
  partitions: number;
  logger: Logger;
  /** Safety net for a missed wake-up; publishes wake consumers immediately. */
  pollMs?: number;
}

interface RecordRow {
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

const fetchSize = 100;

export function createInProcessBus(options: InProcessBusOptions): Bus {
  const { db, partitions, logger } = options;
  const listeners = new Map<string, Set<() => void>>();
  const groups = new Set<string>();
  const subscriptions = new Set<Subscription>();

  function notify(topic: string): void {
    for (const wake of listeners.get(topic) ?? []) wake();
  }

  async function publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // One transaction, offsets taken under a per-partition row order: appends stay ordered.
    await db.transaction(async (tx) => {
      for (const message of messages) {
        const partition = partitionFor(message.key, partitions);
        await tx.query(
          `INSERT INTO bus_records (topic, partition, "offset", key, value, headers)
           SELECT $1, $2, coalesce(max("offset") + 1, 0), $3, $4, $5
           FROM bus_records WHERE topic = $1 AND partition = $2`,
          [
            message.topic,
            partition,
            message.key,
            message.value,
            JSON.stringify(message.headers ?? {}),
          ],
        );
      }
    });
    for (const topic of new Set(messages.map((m) => m.topic))) notify(topic);
  }

  async function consumePartition(
    sub: SubscriptionOptions,
    topic: string,
    partition: number,
  ): Promise<boolean> {
    const { rows: committed } = await db.query<{ offset: string }>(
      `SELECT "offset"::text AS "offset" FROM bus_group_offsets
       WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [sub.groupId, topic, partition],
    );
    const from = committed[0]?.offset ?? '0';
    const { rows } = await db.query<RecordRow>(
      `SELECT partition, "offset"::text AS "offset", key, value, headers FROM bus_records
       WHERE topic = $1 AND partition = $2 AND bus_records."offset" >= $3 ORDER BY bus_records."offset" LIMIT $4`,
      [topic, partition, from, fetchSize],
    );
    for (const row of rows) {
      const message: ConsumedMessage = { topic, ...row };
      // A throw leaves the offset where it is: the message is delivered again (at-least-once).
      await sub.handle(message);
      await db.query(
        `INSERT INTO bus_group_offsets (group_id, topic, partition, "offset")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset"`,
        [sub.groupId, topic, partition, (BigInt(row.offset) + 1n).toString()],
      );
    }
    return rows.length === fetchSize;
  }

  async function subscribe(sub: SubscriptionOptions): Promise<Subscription> {
    if (groups.has(sub.groupId)) {
      throw new Error(`consumer group '${sub.groupId}' is already subscribed in this process`);
    }
    groups.add(sub.groupId);
    const loop = createWakeableLoop({
      name: `consumer ${sub.groupId}`,
      intervalMs: options.pollMs ?? 2_000,
      logger,
      async tick() {
        for (const topic of sub.topics) {
          for (let partition = 0; partition < partitions; partition++) {
            while (await consumePartition(sub, topic, partition)) {
              // a full fetch: keep draining this partition
            }
          }
        }
      },
    });
    for (const topic of sub.topics) {
      const set = listeners.get(topic) ?? new Set();
      set.add(loop.wake);
      listeners.set(topic, set);
    }
    const subscription: Subscription = {
      async stop() {
        for (const topic of sub.topics) listeners.get(topic)?.delete(loop.wake);
        await loop.stop();
        groups.delete(sub.groupId);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    publish,
    subscribe,
    async ping() {
      await db.query('SELECT 1 FROM bus_records LIMIT 1');
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
    },
  };
}
